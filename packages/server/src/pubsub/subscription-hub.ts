import { evaluatePredicate, type ModelDefinition, type PredicateNode } from '@offgrid/schema';
import { isAllowed } from '../auth/authorize';
import type { Identity } from '../auth/identity';
import { recordJson } from '../mutations/record-json';
import type { ServerRecord } from '../store/record-store';
import type { ChangeBus } from './change-bus';

export type SubscriptionOperation = 'create' | 'update' | 'delete';

/** One live subscription: which model and operation, its filters, and who is listening. */
export interface SubscriptionSpec {
  model: ModelDefinition;
  operation: SubscriptionOperation;
  filter?: PredicateNode;
  /** Amplify's `owner` argument: only records whose owner field equals it. */
  owner?: { field: string; value: string };
  identity: Identity;
}

/** Which subscription operation a committed record is. */
export function operationOf(record: ServerRecord): SubscriptionOperation {
  if (record.deleted) return 'delete';
  return record.version === 1 ? 'create' : 'update';
}

/** An async iterator fed by the hub; what graphql-js subscription resolvers return. */
class SubscriptionQueue implements AsyncIterableIterator<Record<string, unknown>> {
  private readonly buffer: Record<string, unknown>[] = [];
  private readonly waiting: Array<(r: IteratorResult<Record<string, unknown>>) => void> = [];
  private done = false;

  constructor(private readonly onClose: () => void) {}

  push(value: Record<string, unknown>): void {
    if (this.done) return;
    const next = this.waiting.shift();
    if (next) next({ value, done: false });
    else this.buffer.push(value);
  }

  next(): Promise<IteratorResult<Record<string, unknown>>> {
    const value = this.buffer.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<Record<string, unknown>>> {
    if (!this.done) {
      this.done = true;
      this.onClose();
      for (const w of this.waiting.splice(0)) w({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<Record<string, unknown>>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/**
 * Delivers committed records to live subscriptions, checking each subscriber's right to read each record:
 * a subscriber never receives a record its @auth rules hide.
 *
 * @example
 * const events = hub.subscribe({ model, operation: 'create', identity })
 */
export class SubscriptionHub {
  private readonly subscriptions = new Map<string, Set<{ spec: SubscriptionSpec; queue: SubscriptionQueue }>>();
  private readonly unsubscribeBus: () => void;

  constructor(bus: ChangeBus) {
    this.unsubscribeBus = bus.subscribe((records) => this.deliver(records));
  }

  get size(): number {
    let n = 0;
    for (const set of this.subscriptions.values()) n += set.size;
    return n;
  }

  subscribe(spec: SubscriptionSpec): AsyncIterableIterator<Record<string, unknown>> {
    const key = `${spec.model.name}:${spec.operation}`;
    let set = this.subscriptions.get(key);
    if (!set) this.subscriptions.set(key, (set = new Set()));
    const entry = { spec, queue: new SubscriptionQueue(() => set!.delete(entry)) };
    set.add(entry);
    return entry.queue;
  }

  private deliver(records: ServerRecord[]): void {
    for (const record of records) {
      const set = this.subscriptions.get(`${record.model}:${operationOf(record)}`);
      if (!set || set.size === 0) continue;
      const json = recordJson(record);
      for (const { spec, queue } of set) {
        if (!isAllowed(spec.model, spec.identity, 'read', record.data)) continue;
        if (spec.owner && record.data[spec.owner.field] !== spec.owner.value) continue;
        if (spec.filter && !evaluatePredicate(spec.filter, json)) continue;
        queue.push(json);
      }
    }
  }

  close(): void {
    this.unsubscribeBus();
    for (const set of this.subscriptions.values()) for (const { queue } of [...set]) void queue.return();
  }
}
