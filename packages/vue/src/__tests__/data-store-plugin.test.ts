import { cleanup, render, screen } from '@testing-library/vue';
import { OffgridError, type DataStore } from '@offgrid/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, defineComponent, effectScope, h } from 'vue';
import { DataStorePlugin, provideDataStore } from '../data-store-plugin';
import { DataStoreNotProvidedError } from '../data-store-not-provided-error';
import { useDataStore } from '../use-data-store';
import { useQuery } from '../use-query';
import { createTestStore, type Models } from './test-store';

let store: DataStore<Models>;
beforeEach(() => {
  store = createTestStore();
});
afterEach(async () => {
  cleanup();
  await store.close();
});

const ShowStore = defineComponent({
  setup() {
    const found = useDataStore<Models>();
    return () => h('p', found === store ? 'same store' : 'other store');
  },
});

describe('providing the store', () => {
  it('DataStorePlugin takes the store as its option', () => {
    render(ShowStore, { global: { plugins: [[DataStorePlugin, store]] } });
    expect(screen.getByText('same store')).toBeTruthy();
  });

  it('provideDataStore provides to a subtree', () => {
    const Parent = defineComponent({
      setup() {
        provideDataStore(store);
        return () => h(ShowStore);
      },
    });
    render(Parent);
    expect(screen.getByText('same store')).toBeTruthy();
  });

  it('a composable without a store says how to provide one', () => {
    const app = createApp({ render: () => null });
    const scope = effectScope();
    const attempt = () => app.runWithContext(() => scope.run(() => useQuery(store.models.Todo)));
    expect(attempt).toThrow(DataStoreNotProvidedError);
    expect(attempt).toThrow(/useQuery\(\) found no DataStore.*createDataStorePlugin/);
    try {
      useDataStore();
    } catch (e) {
      expect(e).toBeInstanceOf(OffgridError);
      expect((e as OffgridError).code).toBe('DATASTORE_NOT_PROVIDED');
    }
    expect.assertions(4);
  });
});
