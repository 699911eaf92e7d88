import { createEnvironmentInjector, EnvironmentInjector, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { DataStore, QuerySnapshot } from '@offgrid/core';
import { firstValueFrom, filter } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATA_STORE, DataStoreService, provideDataStore } from '../index';
import { createTestStore, type Models, type Todo } from './test-store';

let store: DataStore<Models> | undefined;
afterEach(() => store?.close().catch(() => undefined));

describe('provideDataStore and DataStoreService', () => {
  it('provides the store and the service, with observable queries', async () => {
    store = createTestStore();
    TestBed.configureTestingModule({ providers: [provideDataStore(store)] });
    const service = TestBed.inject(DataStoreService) as DataStoreService<Models>;
    expect(TestBed.inject(DATA_STORE)).toBe(store);
    expect(service.store).toBe(store);

    const { Todo } = service.models;
    const snapshots: QuerySnapshot<Todo>[] = [];
    const subscription = service.query$(Todo, (p) => p.done.eq(false)).subscribe((s) => snapshots.push(s));
    await vi.waitFor(() => expect(snapshots).toHaveLength(1));
    const saved = await store.save(new Todo({ title: 'a', done: false }));
    await vi.waitFor(() => expect(snapshots.at(-1)?.items.map((t) => t.title)).toEqual(['a']));
    subscription.unsubscribe();

    const item = firstValueFrom(service.item$(Todo, saved.id).pipe(filter((t) => t?.title === 'b')));
    await store.save(Todo.copyOf(saved, (d) => void (d.title = 'b')));
    expect((await item)?.id).toBe(saved.id);
  });

  it('creates the store from a factory once, and closes it with the injector', async () => {
    const factory = vi.fn(() => (store = createTestStore()));
    const injector = createEnvironmentInjector([provideDataStore(factory)], TestBed.inject(EnvironmentInjector));
    expect(factory).not.toHaveBeenCalled();
    const service = injector.runInContext(() => inject(DataStoreService));
    expect(injector.get(DATA_STORE)).toBe(service.store);
    expect(factory).toHaveBeenCalledTimes(1);
    const close = vi.spyOn(service.store, 'close');
    injector.destroy();
    expect(close).toHaveBeenCalled();
  });

  it('leaves a store passed as is open', () => {
    store = createTestStore();
    const close = vi.spyOn(store, 'close');
    const injector = createEnvironmentInjector([provideDataStore(store)], TestBed.inject(EnvironmentInjector));
    injector.get(DataStoreService);
    injector.destroy();
    expect(close).not.toHaveBeenCalled();
  });
});
