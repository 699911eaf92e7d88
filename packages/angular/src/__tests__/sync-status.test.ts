import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { DataStore, SyncStatus } from '@offgrid/core';
import { BehaviorSubject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { injectRecordStatus, injectSyncProgress, injectSyncStatus, provideDataStore } from '../index';
import { createTestStore, type Models, type Todo } from './test-store';

let store: DataStore<Models>;
let status: BehaviorSubject<SyncStatus>;

beforeEach(() => {
  store = createTestStore();
  status = new BehaviorSubject<SyncStatus>({ state: 'offline', pending: 2, rejected: 0 });
  // The engine's states are core's to test; here a subject stands in for them.
  Object.defineProperty(store, 'syncStatus$', { value: status.asObservable() });
  TestBed.configureTestingModule({ providers: [provideDataStore(store)] });
});

afterEach(() => store.close());

@Component({
  selector: 'sync-badge',
  template: `<span [attr.data-state]="status().state">{{ status().pending }}</span>`,
})
class SyncBadge {
  readonly status = injectSyncStatus();
}

describe('injectSyncStatus', () => {
  it('shows the current status at once and follows it', async () => {
    const fixture = TestBed.createComponent(SyncBadge);
    fixture.detectChanges();
    const badge = () => (fixture.nativeElement as HTMLElement).querySelector('span')!;
    expect(badge().dataset.state).toBe('offline');
    expect(badge().textContent).toBe('2');

    status.next({ state: 'synced', pending: 0, rejected: 0 });
    await fixture.whenStable();
    expect(badge().dataset.state).toBe('synced');
    expect(badge().textContent).toBe('0');
  });

  it('unsubscribes when the component is destroyed', () => {
    const fixture = TestBed.createComponent(SyncBadge);
    fixture.detectChanges();
    expect(status.observed).toBe(true);
    fixture.destroy();
    expect(status.observed).toBe(false);
  });
});

@Component({
  selector: 'first-sync-bar',
  template: `@if (progress().syncing && progress().fullSync) {<progress [value]="progress().applied" [max]="progress().total ?? 0">{{ progress().applied }}/{{ progress().total }}</progress>} @else {<span>hidden</span>}`,
})
class FirstSyncBar {
  readonly progress = injectSyncProgress();
}

describe('injectSyncProgress', () => {
  it('shows a first sync as it moves, then hides the bar', async () => {
    status.next({ state: 'syncing', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 1000, applied: 0, total: 5000, done: false } } });
    const fixture = TestBed.createComponent(FirstSyncBar);
    fixture.detectChanges();
    const root = () => fixture.nativeElement as HTMLElement;
    expect(root().querySelector('progress')!.textContent).toBe('0/5000');

    status.next({ state: 'syncing', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 1000, applied: 1000, total: 5000, done: false } } });
    await fixture.whenStable();
    expect(root().querySelector('progress')!.textContent).toBe('1000/5000');

    status.next({ state: 'synced', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 5000, applied: 5000, total: 5000, done: true } } });
    await fixture.whenStable();
    expect(root().querySelector('progress')).toBeNull();
    expect(root().textContent).toBe('hidden');
    fixture.destroy();
    expect(status.observed).toBe(false);
  });
});

describe('injectRecordStatus', () => {
  it('reads a record status and re-reads it when the outbox moves', async () => {
    const todo = await store.save(new store.models.Todo({ title: 'a', done: false }));
    const record = signal<Todo | undefined>(undefined);
    const result = TestBed.runInInjectionContext(() => injectRecordStatus(record));
    TestBed.tick();
    await vi.waitFor(() => expect(result()).toBeUndefined());

    record.set(todo);
    TestBed.tick();
    await vi.waitFor(() => expect(result()?.status).toBe('pending'));

    await store.clear();
    await vi.waitFor(() => expect(result()?.status).toBe('synced'));
  });
});
