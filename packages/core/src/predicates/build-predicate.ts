import type { FieldDefinition, ModelDefinition, NormalizedSchema } from '@offgrid/schema';
import { PredicateError } from '../errors';
import type { FieldOperator, PredicateNode, SortSpec } from './predicate-node';
import { Predicates, type PredicateInput, type SortInput } from './predicate-types';

const NODE: unique symbol = Symbol('offgrid.predicate');
type Wrapped = { [NODE]: PredicateNode };

const STRING_OPS: FieldOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'between', 'beginsWith', 'contains', 'notContains', 'in', 'notIn'];
const NUMBER_OPS: FieldOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'between', 'in', 'notIn'];
const BOOLEAN_OPS: FieldOperator[] = ['eq', 'ne', 'in', 'notIn'];
const LIST_OPS: FieldOperator[] = ['contains', 'notContains'];
const NUMERIC = new Set(['Int', 'Float', 'AWSTimestamp']);

function operatorsFor(field: FieldDefinition): FieldOperator[] {
  if (field.isList) return LIST_OPS;
  const t = field.type;
  if (t.kind === 'nonModel' || t.kind === 'model') return [];
  if (t.kind === 'scalar' && NUMERIC.has(t.name)) return NUMBER_OPS;
  if (t.kind === 'scalar' && t.name === 'Boolean') return BOOLEAN_OPS;
  return STRING_OPS;
}

function expectedType(field: FieldDefinition): 'number' | 'boolean' | 'string' {
  const t = field.type;
  if (t.kind === 'scalar' && NUMERIC.has(t.name)) return 'number';
  if (t.kind === 'scalar' && t.name === 'Boolean') return 'boolean';
  return 'string';
}

/** Rejects operands of the wrong type up front, so no adapter ever compares a number to a string. */
function checkOperand(model: ModelDefinition, field: FieldDefinition, op: FieldOperator, value: unknown): void {
  const want = expectedType(field);
  const fail = (what: string) => {
    throw new PredicateError(model.name, `${field.name}.${op}(): ${what}`);
  };
  const check = (v: unknown, allowNull: boolean) => {
    if (v === null || v === undefined) {
      if (!allowNull) fail(`needs a ${want}, got ${v}`);
      return;
    }
    if (typeof v !== want) fail(`needs a ${want} (the field is ${field.isList ? 'a list of ' : ''}${field.type.name}), got ${JSON.stringify(v)}`);
  };
  switch (op) {
    case 'between':
      if (!Array.isArray(value) || value.length !== 2) fail('needs a low and a high value');
      for (const v of value as unknown[]) check(v, false);
      return;
    case 'in':
    case 'notIn':
      if (!Array.isArray(value)) fail('needs an array of values');
      for (const v of value as unknown[]) check(v, false);
      return;
    case 'beginsWith':
    case 'contains':
    case 'notContains':
      if (!field.isList && typeof value !== 'string') fail(`needs a string, got ${JSON.stringify(value)}`);
      if (field.isList) check(value, true);
      return;
    case 'eq':
    case 'ne':
      check(value, true);
      return;
    default:
      check(value, false);
  }
}

function fieldOperators(schema: NormalizedSchema, model: ModelDefinition, field: FieldDefinition): unknown {
  if (field.relation) {
    const wrap = (inner: PredicateNode): PredicateNode => ({ type: 'relation', field: field.name, predicate: inner });
    return modelBuilder(schema, schema.models[field.relation.model]!, wrap, joinStep(schema, field));
  }
  const allowed = operatorsFor(field);
  return new Proxy(
    {},
    {
      get(_, op) {
        if (typeof op !== 'string') return undefined;
        if (!allowed.includes(op as FieldOperator)) {
          throw new PredicateError(
            model.name,
            `${field.name} has no operator "${op}"; a ${field.isList ? 'list' : field.type.name} field offers: ${allowed.join(', ') || 'none (it cannot be filtered)'}`,
          );
        }
        return (...args: unknown[]): Wrapped => {
          const value = op === 'between' ? [args[0], args[1]] : args[0];
          checkOperand(model, field, op as FieldOperator, value);
          return { [NODE]: { type: 'field', field: field.name, op: op as FieldOperator, value } };
        };
      },
    },
  );
}

function unwrap(model: ModelDefinition, value: unknown, where: string): PredicateNode {
  const node = (value as Wrapped | undefined)?.[NODE];
  if (!node) {
    throw new PredicateError(model.name, `${where} must return predicates such as p.title.eq('x'), got ${JSON.stringify(value)}`);
  }
  return node;
}

/**
 * For a manyToMany field, the join model's field that points at the other side (`PostTags.tag`): Amplify's
 * types make `p.tags` the join records, so `p.tags.tag.label` must mean what `p.tags.label` means here.
 */
function joinStep(schema: NormalizedSchema, field: FieldDefinition): string | undefined {
  const r = field.relation;
  if (r?.kind !== 'manyToMany') return undefined;
  const join = schema.models[r.joinModel];
  return join?.fieldOrder.find((f) => {
    const jr = join.fields[f]!.relation;
    return jr?.kind === 'belongsTo' && jr.model === r.model && !r.associatedWith.some((k) => jr.targetNames.includes(k));
  });
}

function modelBuilder(schema: NormalizedSchema, model: ModelDefinition, wrap: (n: PredicateNode) => PredicateNode, joinField?: string): unknown {
  const self: unknown = new Proxy(
    {},
    {
      get(_, prop) {
        if (typeof prop !== 'string') return undefined;
        if (joinField !== undefined && prop === joinField && !model.fields[prop]) return modelBuilder(schema, model, wrap);
        if (prop === 'and' || prop === 'or') {
          return (build: (p: unknown) => unknown[]): Wrapped => {
            const inner = modelBuilder(schema, model, (n) => n);
            const list = build(inner);
            if (!Array.isArray(list)) throw new PredicateError(model.name, `${prop}() must return an array of predicates`);
            return { [NODE]: wrap({ type: prop, children: list.map((c) => unwrap(model, c, `${prop}()`)) }) };
          };
        }
        if (prop === 'not') {
          return (build: (p: unknown) => unknown): Wrapped => {
            const inner = modelBuilder(schema, model, (n) => n);
            return { [NODE]: wrap({ type: 'not', child: unwrap(model, build(inner), 'not()') }) };
          };
        }
        const field = model.fields[prop];
        if (!field) {
          throw new PredicateError(model.name, `has no field "${prop}" (fields: ${model.fieldOrder.join(', ')})`);
        }
        const ops = fieldOperators(schema, model, field);
        if (field.relation) return ops;
        return new Proxy(
          {},
          {
            get(_, op) {
              const fn = (ops as Record<string | symbol, unknown>)[op] as ((...a: unknown[]) => Wrapped) | undefined;
              return fn && ((...args: unknown[]) => ({ [NODE]: wrap(fn(...args)[NODE]) }));
            },
          },
        );
      },
    },
  );
  return self;
}

/** Checks a predicate given as data against the model, with the same errors as the builder. */
function checkNode(schema: NormalizedSchema, model: ModelDefinition, node: PredicateNode): PredicateNode {
  switch (node.type) {
    case 'and':
    case 'or':
      for (const c of node.children) checkNode(schema, model, c);
      return node;
    case 'not':
      checkNode(schema, model, node.child);
      return node;
    case 'relation': {
      const field = model.fields[node.field];
      if (!field?.relation) throw new PredicateError(model.name, `"${node.field}" is not a relation field`);
      checkNode(schema, schema.models[field.relation.model]!, node.predicate);
      return node;
    }
    case 'field': {
      const field = model.fields[node.field];
      if (!field || field.relation) {
        throw new PredicateError(model.name, `has no field "${node.field}" (fields: ${model.fieldOrder.join(', ')})`);
      }
      if (!operatorsFor(field).includes(node.op)) {
        throw new PredicateError(model.name, `${node.field} has no operator "${node.op}" (it offers: ${operatorsFor(field).join(', ')})`);
      }
      checkOperand(model, field, node.op, node.value);
      return node;
    }
    default:
      throw new PredicateError(model.name, `unknown predicate node ${JSON.stringify(node)}`);
  }
}

/**
 * Turns what the user passed (a builder function, a predicate node, `Predicates.ALL`) into a checked
 * predicate node, or undefined for "all records".
 *
 * @example
 * buildPredicate(schema, 'Todo', (p) => p.done.eq(false)) // { type: 'field', field: 'done', op: 'eq', value: false }
 */
export function buildPredicate<T>(schema: NormalizedSchema, modelName: string, input: PredicateInput<T> | undefined): PredicateNode | undefined {
  if (input === undefined || input === null || input === Predicates.ALL) return undefined;
  const model = schema.models[modelName]!;
  if (typeof input === 'function') {
    const result = (input as (p: unknown) => unknown)(modelBuilder(schema, model, (n) => n));
    return unwrap(model, result, 'the predicate function');
  }
  return checkNode(schema, model, input as PredicateNode);
}

/**
 * Turns a sort (builder or list) into sort keys, checking the fields exist.
 *
 * @example
 * buildSort(model, (s) => s.priority('DESCENDING')) // [{ field: 'priority', direction: 'desc' }]
 */
export function buildSort<T>(model: ModelDefinition, input: SortInput<T> | undefined): SortSpec[] | undefined {
  if (!input) return undefined;
  const specs: SortSpec[] = [];
  const add = (field: string, direction: unknown) => {
    const def = model.fields[field];
    if (!def || def.relation || def.isList || def.type.kind === 'nonModel') {
      throw new PredicateError(model.name, `cannot sort by "${field}": sort by a scalar or enum field (${model.fieldOrder.join(', ')})`);
    }
    const dir = direction === undefined || direction === 'ASCENDING' || direction === 'asc' ? 'asc' : direction === 'DESCENDING' || direction === 'desc' ? 'desc' : undefined;
    if (!dir) throw new PredicateError(model.name, `sort direction for "${field}" must be ASCENDING or DESCENDING, got ${JSON.stringify(direction)}`);
    specs.push({ field, direction: dir });
  };
  if (typeof input === 'function') {
    const builder: unknown = new Proxy(
      {},
      {
        get: (_, field) => (direction: unknown) => {
          add(String(field), direction);
          return builder;
        },
      },
    );
    (input as (s: unknown) => unknown)(builder);
  } else {
    for (const s of input) add(s.field, s.direction);
  }
  return specs;
}
