import type { PredicateNode } from './predicate-node';

declare const predicateBrand: unique symbol;

/** The result of a builder expression such as `p.title.eq('x')`; pass it back to the store. */
export interface Predicate {
  readonly [predicateBrand]: true;
}

/** Operators on string-like fields (String, ID, enums, AWS date/time and other string scalars). */
export interface StringOperators<V> {
  eq(value: V | null): Predicate;
  ne(value: V | null): Predicate;
  gt(value: V): Predicate;
  ge(value: V): Predicate;
  lt(value: V): Predicate;
  le(value: V): Predicate;
  between(low: V, high: V): Predicate;
  beginsWith(prefix: string): Predicate;
  contains(part: string): Predicate;
  notContains(part: string): Predicate;
  in(values: readonly V[]): Predicate;
  notIn(values: readonly V[]): Predicate;
}

/** Operators on Int, Float and AWSTimestamp fields. */
export interface NumberOperators {
  eq(value: number | null): Predicate;
  ne(value: number | null): Predicate;
  gt(value: number): Predicate;
  ge(value: number): Predicate;
  lt(value: number): Predicate;
  le(value: number): Predicate;
  between(low: number, high: number): Predicate;
  in(values: readonly number[]): Predicate;
  notIn(values: readonly number[]): Predicate;
}

/** Operators on Boolean fields. */
export interface BooleanOperators {
  eq(value: boolean | null): Predicate;
  ne(value: boolean | null): Predicate;
  in(values: readonly boolean[]): Predicate;
  notIn(values: readonly boolean[]): Predicate;
}

/** Operators on list fields: membership. */
export interface ListOperators<E> {
  contains(item: E): Predicate;
  notContains(item: E): Predicate;
}

/** Something that resolves to related records: `await post.blog`, or `blog.posts` (async iterable). */
export interface AsyncCollection<T> extends AsyncIterable<T> {
  toArray(options?: { max?: number }): Promise<T[]>;
}

type IsAny<T> = 0 extends 1 & T ? true : false;

/** The operators a field offers, from its type: strings, numbers, booleans, lists, relations. */
export type FieldOperators<V> =
  IsAny<V> extends true
    ? StringOperators<any> & NumberOperators & ListOperators<any> & { [field: string]: any }
    : NonNullable<V> extends string
      ? StringOperators<NonNullable<V>>
      : NonNullable<V> extends number
        ? NumberOperators
        : NonNullable<V> extends boolean
          ? BooleanOperators
          : NonNullable<V> extends readonly (infer E)[]
            ? ListOperators<E>
            : NonNullable<V> extends PromiseLike<infer R>
              ? ModelPredicate<NonNullable<R>>
              : NonNullable<V> extends AsyncCollection<infer R>
                ? ModelPredicate<R>
                : never;

/**
 * The predicate builder handed to `p => ...`: a property per field offering that field's operators,
 * relation fields leading into the related model, and `and`/`or`/`not`.
 *
 * @example
 * store.query(Post, (p) => p.and((p) => [p.rating.gt(4), p.blog.name.beginsWith('Tech')]))
 */
export type ModelPredicate<T> = string extends keyof T ? any : TypedModelPredicate<T>;

type TypedModelPredicate<T> = {
  readonly [K in keyof T as K extends `_${string}` ? never : K]-?: FieldOperators<T[K]>;
} & {
  and(build: (p: ModelPredicate<T>) => readonly Predicate[]): Predicate;
  or(build: (p: ModelPredicate<T>) => readonly Predicate[]): Predicate;
  not(build: (p: ModelPredicate<T>) => Predicate): Predicate;
};

/** What query, delete, observe and observeQuery accept as a filter. */
export type PredicateInput<T> = ((p: ModelPredicate<T>) => Predicate) | PredicateNode | typeof Predicates.ALL;

/** `Predicates.ALL` matches every record (Amplify's name). */
export const Predicates = {
  ALL: Object.freeze({ all: true }) as { readonly all: true },
};

/** Amplify's sort direction names. */
export const SortDirection = {
  ASCENDING: 'ASCENDING',
  DESCENDING: 'DESCENDING',
} as const;
export type SortDirection = (typeof SortDirection)[keyof typeof SortDirection];

/** Amplify-style sort builder: `s => s.priority(SortDirection.DESCENDING).title(SortDirection.ASCENDING)`. */
export type SortBuilder<T> = string extends keyof T ? any : TypedSortBuilder<T>;

type TypedSortBuilder<T> = {
  readonly [K in keyof T as K extends `_${string}` ? never : K]-?: (direction?: SortDirection | 'asc' | 'desc') => SortBuilder<T>;
};

/** A sort: the builder form or a list of `{ field, direction }`. */
export type SortInput<T> =
  | ((s: SortBuilder<T>) => SortBuilder<T>)
  | ReadonlyArray<{ field: keyof T & string; direction: 'asc' | 'desc' }>;
