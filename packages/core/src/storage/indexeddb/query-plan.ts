import type { ModelDefinition } from '@offgrid/schema';
import type { PredicateNode, StorageQuery } from '../../predicates/predicate-node';
import { keyKind, modelIndexes } from './store-layout';

/** Bounds of an IndexedDB key range, kept as data so plans can be built and tested without IDB globals. */
export interface KeyBounds {
  lower?: IDBValidKey;
  upper?: IDBValidKey;
  lowerOpen: boolean;
  upperOpen: boolean;
}

/** One source of candidate records: an index (or the object store when `index` is undefined) and a range. */
export interface PlanSource {
  index?: string;
  bounds?: KeyBounds;
  /** Only records whose field is missing: the part of a partition an index on more fields leaves out. */
  onlyMissing?: string;
}

/**
 * How to run one query. When `ordered`, reading `sources` one after another in `direction` already yields
 * the query's order, so the reader can stop after offset + limit matches. Otherwise candidates are sorted.
 */
export interface QueryPlan {
  sources: PlanSource[];
  direction: 'next' | 'prev';
  ordered: boolean;
  /** The key range is provably empty. */
  empty: boolean;
}

/** A way to read a model: an index over `fields`, or the object store itself (keyed by the one key field). */
export interface AccessPath {
  index?: string;
  fields: string[];
}

interface Bound {
  value: string | number;
  open: boolean;
}

interface FieldFacts {
  eq?: string | number;
  lower?: Bound;
  upper?: Bound;
}

interface Analysis {
  facts: Map<string, FieldFacts>;
  /** Fields every matching record has (not null or missing). */
  present: Set<string>;
  /** Fields equal to one value in every matching record. */
  constant: Set<string>;
}

const isMissing = (v: unknown) => v === null || v === undefined;

/** Orders keys the way IndexedDB does for the keys plans build: numbers < strings < arrays. */
function compareKeys(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareKeys(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return (a as string | number) < (b as string | number) ? -1 : (a as string | number) > (b as string | number) ? 1 : 0;
}

/** The smallest string greater than every string starting with `prefix`, or undefined if there is none. */
function prefixEnd(prefix: string): string | undefined {
  const trimmed = prefix.replace(/\uffff+$/, '');
  if (!trimmed) return undefined;
  return trimmed.slice(0, -1) + String.fromCharCode(trimmed.charCodeAt(trimmed.length - 1) + 1);
}

function conjuncts(node: PredicateNode | undefined, out: Array<Extract<PredicateNode, { type: 'field' }>> = []) {
  if (node?.type === 'and') for (const child of node.children) conjuncts(child, out);
  else if (node?.type === 'field') out.push(node);
  return out;
}

function tighter(a: Bound | undefined, b: Bound, lower: boolean): Bound {
  if (!a) return b;
  const c = compareKeys(a.value, b.value) * (lower ? 1 : -1);
  return c > 0 || (c === 0 && a.open) ? a : b;
}

/** What the top-level AND of a predicate says about each field, as far as keys can express it. */
function analyse(model: ModelDefinition, predicate: PredicateNode | undefined): Analysis {
  const facts = new Map<string, FieldFacts>();
  const present = new Set<string>();
  const constant = new Set<string>();
  for (const { field, op, value } of conjuncts(predicate)) {
    const kind = keyKind(model, field);
    const keyable = (v: unknown): v is string | number => kind !== undefined && typeof v === kind && !Number.isNaN(v);
    const f = facts.get(field) ?? {};
    facts.set(field, f);
    switch (op) {
      case 'eq':
        if (isMissing(value)) break;
        present.add(field);
        constant.add(field);
        if (keyable(value) && f.eq === undefined) f.eq = value;
        break;
      case 'gt':
      case 'ge':
      case 'lt':
      case 'le':
        if (isMissing(value)) break;
        present.add(field);
        if (!keyable(value)) break;
        if (op === 'gt' || op === 'ge') f.lower = tighter(f.lower, { value, open: op === 'gt' }, true);
        else f.upper = tighter(f.upper, { value, open: op === 'lt' }, false);
        break;
      case 'between': {
        const [low, high] = value as [unknown, unknown];
        if (isMissing(low)) break;
        present.add(field);
        if (keyable(low)) f.lower = tighter(f.lower, { value: low, open: false }, true);
        if (keyable(high)) f.upper = tighter(f.upper, { value: high, open: false }, false);
        break;
      }
      case 'beginsWith': {
        present.add(field);
        if (kind !== 'string' || typeof value !== 'string' || value === '') break;
        f.lower = tighter(f.lower, { value, open: false }, true);
        const end = prefixEnd(value);
        if (end !== undefined) f.upper = tighter(f.upper, { value: end, open: true }, false);
        break;
      }
      case 'contains':
        present.add(field);
        break;
      case 'in':
        if (Array.isArray(value) && !value.some(isMissing)) present.add(field);
        break;
      default:
        break;
    }
  }
  return { facts, present, constant };
}

/**
 * Key bounds for `eq` values on the first fields of an index and an optional range on the next one. An
 * array key sorts after any key it is a prefix of and before `[...prefix, []]`, which bounds a prefix.
 */
function boundsFor(eq: Array<string | number>, range: FieldFacts | undefined, n: number): KeyBounds {
  const key = (parts: IDBValidKey[]): IDBValidKey => (n === 1 ? (parts[0] as IDBValidKey) : parts);
  if (eq.length === n) return { lower: key(eq), upper: key(eq), lowerOpen: false, upperOpen: false };
  const more = n > eq.length + 1;
  const b: KeyBounds = { lowerOpen: false, upperOpen: false };
  if (range?.lower) {
    b.lower = key(range.lower.open && more ? [...eq, range.lower.value, []] : [...eq, range.lower.value]);
    b.lowerOpen = range.lower.open;
  } else if (eq.length) b.lower = key(eq);
  if (range?.upper) {
    b.upper = key(!range.upper.open && more ? [...eq, range.upper.value, []] : [...eq, range.upper.value]);
    b.upperOpen = range.upper.open;
  } else if (eq.length) b.upper = key([...eq, []]);
  return b;
}

function isEmpty(b: KeyBounds | undefined): boolean {
  if (!b || b.lower === undefined || b.upper === undefined) return false;
  const c = compareKeys(b.lower, b.upper);
  return c > 0 || (c === 0 && (b.lowerOpen || b.upperOpen));
}

/**
 * The access paths of a model: the object store when its one key field holds strings (store keys are then
 * the field's values) and every index of `modelIndexes` that exists in the store.
 */
export function accessPaths(model: ModelDefinition, hasIndex: (name: string) => boolean): AccessPath[] {
  const paths: AccessPath[] = [];
  const [pk] = model.primaryKey;
  if (model.primaryKey.length === 1 && pk && keyKind(model, pk) === 'string') paths.push({ fields: [pk] });
  for (const index of modelIndexes(model)) if (hasIndex(index.name)) paths.push({ index: index.name, fields: index.fields });
  return paths;
}

interface Candidate {
  plan: QueryPlan;
  score: number;
}

/** The direction a path's cursor must run to yield the query's order, or undefined if no direction does. */
function orderedDirection(rest: string[], query: StorageQuery, a: Analysis, keyField: string | undefined): 'next' | 'prev' | undefined {
  const sort = query.sort ?? [];
  const tie = sort[sort.length - 1]?.direction ?? 'asc';
  const sortRest = sort.filter((s) => !a.constant.has(s.field));
  // A last sort on a one-field string key is the key tie-break itself.
  if (keyField !== undefined && sortRest[sortRest.length - 1]?.field === keyField) sortRest.pop();
  const idxRest = rest.filter((f) => !a.constant.has(f));
  if (sortRest.length !== idxRest.length) return undefined;
  // Ties are broken by the record key in the last sort field's direction, as a cursor breaks them by primary key.
  if (!sortRest.every((s, i) => s.field === idxRest[i] && s.direction === tie)) return undefined;
  return tie === 'desc' ? 'prev' : 'next';
}

function evaluatePath(model: ModelDefinition, path: AccessPath, paths: AccessPath[], query: StorageQuery, a: Analysis): Candidate | undefined {
  const { fields } = path;
  const eq: Array<string | number> = [];
  for (const f of fields) {
    const v = a.facts.get(f)?.eq;
    if (v === undefined) break;
    eq.push(v);
  }
  const k = eq.length;
  const next = fields[k];
  const range = next !== undefined && (a.facts.get(next)?.lower || a.facts.get(next)?.upper) ? a.facts.get(next) : undefined;
  const guaranteed = (f: string) => model.primaryKey.includes(f) || model.fields[f]?.required === true || a.present.has(f);
  const bounds = k || range ? boundsFor(eq, range, fields.length) : undefined;
  const constrained = k + (range ? 1 : 0);
  const [pk] = model.primaryKey;
  const keyField = model.primaryKey.length === 1 && pk && keyKind(model, pk) === 'string' ? pk : undefined;
  // The object store's own order is the key order, which is the tie-break order.
  const direction = orderedDirection(path.index === undefined ? [] : fields.slice(k), query, a, keyField);
  const source: PlanSource = { index: path.index, bounds };

  if (fields.every(guaranteed)) {
    const score = constrained * 2 + (direction ? 1 : 0);
    if (!score) return undefined;
    return { score, plan: { sources: [source], direction: direction ?? 'next', ordered: !!direction, empty: isEmpty(bounds) } };
  }
  // Descending on a last field that may be missing: records without it sort last, and the index on the
  // other fields finds them, so the cursor can still stop early (the benchmark's owner/updatedAt query).
  const last = fields[fields.length - 1] as string;
  if (k !== fields.length - 1 || direction !== 'prev' || !fields.slice(0, -1).every(guaranteed)) return undefined;
  const prefix = paths.find((p) => p.fields.length === k && p.fields.every((f, i) => f === fields[i]));
  if (!prefix) return undefined;
  const prefixBounds = boundsFor(eq, undefined, k);
  return {
    score: constrained * 2 + 1,
    plan: {
      sources: [source, { index: prefix.index, bounds: prefixBounds, onlyMissing: last }],
      direction,
      ordered: true,
      empty: false,
    },
  };
}

/**
 * Chooses how to read a query: the index (or store) whose leading fields the predicate pins with `eq`,
 * optionally ranged on the next field, preferring one whose order is the query's order. Booleans, nulls
 * and lists are not keys, so they are only ever filtered in JavaScript. The whole predicate is always
 * re-checked on every candidate, so a plan only has to return a superset in the right order.
 *
 * @example
 * planQuery(todo, accessPaths(todo, () => true), {
 *   predicate: { type: 'field', field: 'owner', op: 'eq', value: 'ada' },
 *   sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 100,
 * }) // { sources: [byOwner within ['ada'], _prefix:byOwner = 'ada' without updatedAt], direction: 'prev', ordered: true }
 */
export function planQuery(model: ModelDefinition | undefined, paths: AccessPath[], query: StorageQuery): QueryPlan {
  const scan: QueryPlan = { sources: [{}], direction: 'next', ordered: false, empty: false };
  if (!model) return scan;
  const a = analyse(model, query.predicate);
  let best: Candidate | undefined;
  for (const path of paths) {
    const c = evaluatePath(model, path, paths, query, a);
    if (c && (!best || c.score > best.score)) best = c;
  }
  return best?.plan ?? scan;
}
