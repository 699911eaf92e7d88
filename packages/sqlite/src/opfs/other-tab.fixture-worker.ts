// Another tab, for the tabs tests: a worker running its own OPFS driver, terminated to simulate a tab that
// dies without closing anything (its Web Locks and its own SQLite worker go with it).
import { openOpfsDriver } from '../opfs';
import type { OpfsDriver } from './opfs-driver';

let driver: OpfsDriver | undefined;

self.onmessage = async (event: MessageEvent<{ cmd: 'open'; file: string } | { cmd: 'sql'; sql: string }>) => {
  const message = event.data;
  try {
    if (message.cmd === 'open') {
      driver = await openOpfsDriver({ file: message.file });
      self.postMessage({ ok: true, owner: driver.isOwner });
    } else {
      const rows = await driver!.prepare(message.sql).all();
      self.postMessage({ ok: true, rows, owner: driver!.isOwner });
    }
  } catch (error) {
    self.postMessage({ ok: false, error: String(error) });
  }
};
