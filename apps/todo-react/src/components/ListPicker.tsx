import { useDataStore, useQuery } from '@offgrid/react';
import { TEST_IDS, todoActions, type TodoModels } from '@offgrid/todo-shared';
import { useState, type FormEvent } from 'react';

export function ListPicker({ listId, onSelect }: { listId: string | undefined; onSelect: (id: string) => void }) {
  const store = useDataStore<TodoModels>();
  const lists = useQuery(store.models.TodoList, undefined, { sort: (s) => s.createdAt('ASCENDING').name('ASCENDING') });
  const [name, setName] = useState('');

  async function addList(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return;
    const list = await todoActions(store).addList(name);
    setName('');
    onSelect(list.id);
  }

  return (
    <>
      <div className="row">
        <select data-testid={TEST_IDS.listSelect} aria-label="List" value={listId ?? ''} onChange={(e) => onSelect(e.target.value)}>
          {lists.data.map((list) => (
            <option key={list.id} value={list.id}>
              {list.name}
            </option>
          ))}
        </select>
      </div>
      <form className="row" onSubmit={addList}>
        <input data-testid={TEST_IDS.newListInput} placeholder="New list" aria-label="New list" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="secondary" data-testid={TEST_IDS.addListButton}>
          Add list
        </button>
      </form>
    </>
  );
}
