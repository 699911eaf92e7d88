// The browser app, written from the README and the docs: typed models from `offgrid codegen`, IndexedDB,
// sync, and a live query on the foreign key.
import { createDataStore, IndexedDBAdapter } from '@offgrid/core';
import { DataStoreProvider, useDataStore, useQuery } from '@offgrid/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Folder, Note, schema, type Models } from './models';

const store = createDataStore<Models>({
  schema,
  storage: new IndexedDBAdapter({ name: 'notes' }),
  sync: { url: 'http://127.0.0.1:4000/graphql', auth: { apiKey: 'dev-key' } },
});

function FolderNotes({ folder }: { folder: Folder }) {
  const { data } = useQuery(Note, (n) => n.folderID.eq(folder.id), { sort: (s) => s.text('ASCENDING') });
  return (
    <li>
      {folder.name} ({data.length})
      <ul>{data.map((note) => <li key={note.id}>{note.text}</li>)}</ul>
    </li>
  );
}

function Folders() {
  const store = useDataStore<Models>();
  const { data, isLoading } = useQuery(Folder);
  if (isLoading) return <p>Loading…</p>;
  return (
    <>
      <button type="button" onClick={() => void store.save(new Folder({ name: 'Inbox' }))}>New folder</button>
      <ul>{data.map((folder) => <FolderNotes key={folder.id} folder={folder} />)}</ul>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DataStoreProvider store={store}>
      <Folders />
    </DataStoreProvider>
  </StrictMode>,
);
