import { useRecordStatus } from '@offgrid/react';
import { TEST_IDS, type Todo, type todoActions } from '@offgrid/todo-shared';
import { memo, useState, type FormEvent } from 'react';

type Actions = ReturnType<typeof todoActions>;

/** One row. Memoized: a change to another todo leaves this row's record, and so this row, untouched. */
export const TodoItem = memo(function TodoItem({ todo, actions }: { todo: Todo; actions: Actions }) {
  const status = useRecordStatus(todo);
  const pending = status?.status === 'pending' || status?.status === 'conflicted';
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');

  function edit() {
    setDraft(todo.title);
    setEditing(true);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (draft.trim()) await actions.rename(todo, draft);
    setEditing(false);
  }

  return (
    <li className="todo" data-testid={TEST_IDS.todoItem} data-id={todo.id} data-done={String(todo.done)} data-pending={String(pending)}>
      <input type="checkbox" data-testid={TEST_IDS.todoToggle} aria-label="Done" checked={todo.done} onChange={() => void actions.toggle(todo)} />
      {editing ? (
        <form className="row" style={{ flex: 1, margin: 0 }} onSubmit={save}>
          {/* biome-ignore lint/a11y/noAutofocus: the field the user just asked to edit */}
          <input data-testid={TEST_IDS.todoRenameInput} aria-label="Title" value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
          <button type="submit" data-testid={TEST_IDS.todoSaveButton}>
            Save
          </button>
        </form>
      ) : (
        <>
          <span className="title" data-testid={TEST_IDS.todoTitle}>
            {todo.title}
          </span>
          <button type="button" className="secondary" data-testid={TEST_IDS.todoEditButton} onClick={edit}>
            Edit
          </button>
        </>
      )}
      <button type="button" className="secondary" data-testid={TEST_IDS.todoDeleteButton} aria-label="Delete" onClick={() => void actions.remove(todo)}>
        Delete
      </button>
    </li>
  );
});
