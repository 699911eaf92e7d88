import { useDataStore } from '@offgrid/react';
import { useState } from 'react';
import { session } from '../session';

/**
 * Who is signed in, with sign-out and sign-in as someone else. The store keeps local data to one user
 * (`sync.userChange: 'clear'`, the default): after a sign-out or a switch, the next read deletes the
 * previous user's records and unsent changes before anything else happens, so the next user never sees
 * them. `resync()` makes that happen at once (and syncs what the new user may read).
 */
export function Account() {
  const store = useDataStore();
  const [subject, setSubject] = useState(session.subject());
  const [next, setNext] = useState('');
  const apply = async () => {
    await store.resync();
    setSubject(session.subject());
  };
  return (
    <div className="account" aria-label="Account">
      <span>{subject ? `Signed in as ${subject}` : 'Signed out'}</span>
      {subject && (
        <button
          type="button"
          onClick={() => {
            session.signOut();
            void apply();
          }}
        >
          Sign out
        </button>
      )}
      <input aria-label="Sign in with a token" placeholder="Paste a token to sign in" value={next} onChange={(e) => setNext(e.target.value)} />
      <button
        type="button"
        disabled={next.trim() === ''}
        onClick={() => {
          session.signIn(next);
          setNext('');
          void apply();
        }}
      >
        Sign in
      </button>
    </div>
  );
}
