// What a browser gives Amplify DataStore, for its Node processes (amplify-client.mjs, ported-app-runner.cjs):
// an IndexedDB (fake-indexeddb), `window`, `WebSocket`, `navigator.onLine` and window events (`offline`/`online`
// take DataStore off and on line).
require('fake-indexeddb/auto');

const events = new EventTarget();
globalThis.window = globalThis;
// `ws` on every Node: Node 22+ has a WebSocket of its own, but one client on every Node version keeps the runs alike.
globalThis.WebSocket = require('ws');
// Node 21+ has a `navigator` of its own: a getter with no setter, and no `onLine`. Amplify reads `navigator.onLine`
// to decide whether it is online, and `undefined` is offline: DataStore then never syncs, nothing keeps the event
// loop busy, and the process ends without a word. So `onLine` is added where `navigator` exists, and writable,
// so a test can take the client off line.
if (!globalThis.navigator) globalThis.navigator = { onLine: true };
else Object.defineProperty(globalThis.navigator, 'onLine', { value: true, writable: true, configurable: true });
globalThis.addEventListener = events.addEventListener.bind(events);
globalThis.removeEventListener = events.removeEventListener.bind(events);
globalThis.dispatchEvent = events.dispatchEvent.bind(events);
