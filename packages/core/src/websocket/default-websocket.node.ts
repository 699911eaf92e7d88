import WebSocket from 'ws';

/**
 * The WebSocket the sync engine uses on Node when the app passes none: the global one where Node has it
 * (22 and later), else `ws`, so sync works on Node 20 without configuration.
 *
 * Chosen through the package's `#websocket` import map under the `node` condition; browser bundles get
 * `default-websocket.ts` and never include `ws`.
 *
 * @example
 * const impl = defaultWebSocket() // undefined on Node 22+ (the global is used), ws's class on Node 20
 */
export function defaultWebSocket(): unknown {
  return typeof globalThis.WebSocket === 'function' ? undefined : WebSocket;
}
