import { isSignal, type Signal } from '@angular/core';
import type { ModelPredicate, Predicate, PredicateInput } from '@offgrid/core';

/**
 * An argument the query follows: a value, a signal, or a function without parameters that reads signals
 * (it runs in a `computed`).
 *
 * @example
 * injectItem(Todo, () => this.selectedId())
 */
export type ReactiveInput<V> = V | Signal<V> | (() => V);

/**
 * A predicate the query follows: a predicate, or a signal or getter returning one (or `undefined` for all
 * records). A predicate takes one parameter (`(p) => ...`); a function of none is read as a getter.
 * Written as one function type so `p` is typed in both forms.
 *
 * @example
 * injectQuery(Todo, (p) => p.done.eq(false))
 * injectQuery(Todo, () => (p) => p.listID.eq(this.listId()))
 */
export type ReactivePredicate<T> = PredicateInput<T> | undefined | ((p: ModelPredicate<T>) => Predicate | PredicateInput<T> | undefined);

/** Reads a reactive argument, tracking the signals it reads when called in a reactive context. */
export function readInput<V>(input: ReactiveInput<V>): V;
export function readInput<T>(input: ReactivePredicate<T>): PredicateInput<T> | undefined;
export function readInput(input: unknown): unknown {
  if (isSignal(input)) return input();
  if (typeof input === 'function' && input.length === 0) return (input as () => unknown)();
  return input;
}
