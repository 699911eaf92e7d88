import type { CredentialSnapshot, Credentials } from '../sync/credentials';
import type { StorageAdapter } from '../storage/storage-adapter';

/** The meta record naming whose data the local store holds. */
const OWNER_META = 'sync:owner';

/** Whose data a caller may see: the token's subject; an opaque token is one user; null when signed out. */
export function ownerOf(identity: CredentialSnapshot): string | null {
  return identity.token === undefined ? null : (identity.subject ?? '(opaque token)');
}

/**
 * Keeps local data to one user (`sync.userChange: 'clear'`, the default with a token provider): the store
 * records whose data it holds, and when another user signs in, or the user signs out, everything local is
 * deleted before anything is read, written, synced or sent under the new identity. Data written while
 * signed out is adopted by the user who signs in.
 *
 * @example
 * const scope = new UserScope(credentials, storage, () => store.wipe('userChanged'))
 * await scope.check(pauseSync) // before each read and write
 */
export class UserScope {
  /** Whose data the local store holds, as last checked (a subject, null when signed out, undefined: unchecked). */
  private owner: string | null | undefined;
  /** Serialises owner changes, so two callers never wipe or adopt at once. */
  private lock: Promise<void> = Promise.resolve();

  constructor(
    private readonly credentials: Credentials,
    private readonly storage: StorageAdapter,
    private readonly wipe: () => Promise<unknown>,
  ) {}

  /** The local store was emptied (its owner record with it): the next check records the owner again. */
  forget(): void {
    this.owner = undefined;
  }

  /**
   * Before a read or write: if the caller changed since the last check, put local data in order for the new
   * one first. `pauseSync` runs the change with sync stopped, so no request is in flight under the old
   * identity while the data is deleted. A failing token provider (offline) leaves things as they are.
   */
  async check(pauseSync: (work: () => Promise<void>) => Promise<void>): Promise<void> {
    let owner: string | null;
    try {
      owner = ownerOf(await this.credentials.snapshot());
    } catch {
      return;
    }
    if (owner === this.owner) return;
    await pauseSync(() => this.apply(owner));
  }

  /** Makes the local store hold `owner`'s data (the sync engine calls this at a point with nothing in flight). */
  apply(owner: string | null): Promise<void> {
    const run = this.lock.then(async () => {
      if (this.owner === owner) return;
      const stored = await this.storage.read((tx) => tx.getMeta<{ subject: string | null }>(OWNER_META));
      if (stored !== undefined && stored.subject !== null && stored.subject !== owner) await this.wipe();
      if (stored?.subject !== owner) await this.storage.write((tx) => tx.setMeta(OWNER_META, { subject: owner }));
      this.owner = owner;
    });
    this.lock = run.catch(() => undefined);
    return run;
  }
}
