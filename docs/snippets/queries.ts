import { Predicates, SortDirection } from '@offgrid/core';
import { store } from './create-store';
import { Priority, Todo } from './models';

// #region predicates
const open = await store.query(Todo, (t) => t.done.eq(false));
const urgent = await store.query(Todo, (t) => t.and((t) => [t.done.eq(false), t.priority.in([Priority.HIGH, Priority.NORMAL])]));
const milk = await store.query(Todo, (t) => t.or((t) => [t.title.beginsWith('Buy'), t.title.contains('milk')]));
const notTagged = await store.query(Todo, (t) => t.not((t) => t.tags.contains('home')));
const thisWeek = await store.query(Todo, (t) => t.dueOn.between('2026-03-02', '2026-03-08'));
// #endregion predicates

// #region relations
// Predicates cross relations: todos whose list is named "Groceries".
const groceries = await store.query(Todo, (t) => t.list.name.eq('Groceries'));
// #endregion relations

// #region sort
const page = await store.query(Todo, Predicates.ALL, {
  sort: (s) => s.priority(SortDirection.DESCENDING).title(SortDirection.ASCENDING),
  limit: 20,
  page: 0, // 0-based, `limit` records per page
});
// #endregion sort

export { groceries, milk, notTagged, open, page, thisWeek, urgent };
