/**
 * The WebSocket the sync engine uses when the app passes none: in browsers (and Deno, Bun, Node 22+) the
 * global one, which graphql-ws picks up by itself, so nothing here.
 *
 * Resolved through the package's `#websocket` import map: Node gets `default-websocket.node.ts` instead,
 * which brings `ws` for Node 20. Bundlers targeting browsers never see `ws`.
 *
 * @example
 * const impl = defaultWebSocket() // undefined: graphql-ws uses globalThis.WebSocket
 */
export function defaultWebSocket(): unknown {
  return undefined;
}
