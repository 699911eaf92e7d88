import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** One HTTP request seen on its way to the server: the raw bytes (to replay) and the body (to match). */
export interface CapturedRequest {
  raw: Buffer;
  body: string;
}

/** Arms a fault for the next HTTP request whose body contains `match`. */
interface Trigger {
  match: string;
  afterBytes: number;
  resolve: () => void;
  /** Refuse new connections from the moment of the cut (the network stays down). */
  thenUnreachable: boolean;
}

interface Link {
  client: Socket;
  server: Socket;
  /** Upgraded to a WebSocket: bytes are no longer parsed as HTTP. */
  webSocket: boolean;
  /** Half-open: bytes are swallowed in both directions and nobody is told. */
  blackhole: boolean;
  /** Bytes of the current HTTP request not yet complete. */
  pending: Buffer;
  /** When a response is being cut: bytes still allowed through. */
  cutAfter: number | undefined;
  /** When a request is held: the bytes waiting to be forwarded. */
  held: Buffer[] | undefined;
  /** When a response is held: the bytes waiting to be delivered. */
  heldResponse: Buffer[] | undefined;
  /** The cut armed on this connection's current response. */
  cut: Trigger | undefined;
  /** Writes are scheduled in order even with a delay. */
  lastToServer: number;
  lastToClient: number;
}

/**
 * A fault-injecting TCP proxy on 127.0.0.1 between sync clients and the server. It forwards bytes both
 * ways and, on demand: drops every connection, refuses new ones (the server looks unreachable), delays
 * every chunk, cuts the response of a chosen HTTP request after N bytes (mid-page, mid-push: the server
 * has done the work, the client never learns the answer), holds a chosen request back while others pass
 * (reordering across clients), and replays a captured request (a duplicate the server's mutation ids
 * must make harmless). HTTP requests are recognised by reading their headers and `content-length`; an
 * upgraded connection (the subscription WebSocket) is passed through untouched.
 *
 * @example
 * const proxy = await FaultProxy.start(server.url); proxy.cutResponse('pushMutations', 40); createClient(proxy.graphqlUrl)
 */
export class FaultProxy {
  private readonly links = new Set<Link>();
  private refusing = false;
  private delayMs = 0;
  private readonly cuts: Trigger[] = [];
  private readonly holds: Array<{ match: string; resolve: () => void; links: Link[] }> = [];
  private readonly responseHolds: Array<{ match: string; resolve: () => void; links: Link[] }> = [];
  /** Every complete HTTP request body seen, for tests that count or replay them. */
  readonly requests: CapturedRequest[] = [];
  /** Connections accepted (HTTP and WebSocket). */
  connections = 0;

  private constructor(
    private readonly server: Server,
    private targetPort: number,
    readonly url: string,
  ) {}

  /** Starts a proxy in front of `targetUrl` (`http://127.0.0.1:port`). */
  static async start(targetUrl: string): Promise<FaultProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const proxy = new FaultProxy(server, Number(new URL(targetUrl).port), `http://127.0.0.1:${port}`);
    server.on('connection', (socket) => proxy.accept(socket));
    return proxy;
  }

  get graphqlUrl(): string {
    return `${this.url}/graphql`;
  }

  /** Points the proxy at another server port (a server restarted elsewhere). */
  retarget(targetUrl: string): void {
    this.targetPort = Number(new URL(targetUrl).port);
  }

  /** Cuts every open connection, HTTP and WebSocket (a network blip). */
  dropAll(): void {
    for (const link of [...this.links]) this.cutLink(link);
  }

  /** Cuts only the WebSocket connections. */
  dropWebSockets(): void {
    for (const link of [...this.links]) if (link.webSocket) this.cutLink(link);
  }

  /** While on, new connections are reset at once and open ones are cut: the server looks unreachable. */
  /**
   * Makes the open WebSockets half-open: nothing passes either way, yet neither side sees a close (the peer
   * vanished, a NAT forgot the mapping). Only a keep-alive timeout can notice.
   */
  /** Open WebSocket links (upgraded connections). */
  webSocketCount(): number {
    let n = 0;
    for (const link of this.links) if (link.webSocket && !link.blackhole) n++;
    return n;
  }

  blackholeWebSockets(): void {
    for (const link of this.links) if (link.webSocket) link.blackhole = true;
  }

  setUnreachable(on: boolean): void {
    this.refusing = on;
    if (on) this.dropAll();
  }

  /** Delays every chunk in both directions by `ms` (order kept). */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /**
   * Lets the server handle the next request whose body contains `match`, then cuts the connection after
   * `afterBytes` bytes of its response. Resolves when the cut happened.
   */
  cutResponse(match: string, afterBytes: number, options: { thenUnreachable?: boolean } = {}): Promise<void> {
    return new Promise((resolve) => this.cuts.push({ match, afterBytes, resolve, thenUnreachable: options.thenUnreachable ?? false }));
  }

  /**
   * Lets the next request whose body contains `match` reach the server, and holds its response until the
   * returned `release()`: the server has committed, the client does not know yet.
   */
  holdResponse(match: string): { held: Promise<void>; release: () => void } {
    let resolve!: () => void;
    const held = new Promise<void>((r) => (resolve = r));
    const entry = { match, resolve, links: [] as Link[] };
    this.responseHolds.push(entry);
    return {
      held,
      release: () => {
        const i = this.responseHolds.indexOf(entry);
        if (i >= 0) this.responseHolds.splice(i, 1);
        for (const link of entry.links) {
          const bytes = Buffer.concat(link.heldResponse ?? []);
          link.heldResponse = undefined;
          if (!link.client.destroyed) link.client.write(bytes);
        }
      },
    };
  }

  /**
   * Holds the next request whose body contains `match` (the client waits for its answer) until the
   * returned `release()`; other connections pass meanwhile, so the server sees it after later requests.
   */
  hold(match: string): { held: Promise<void>; release: () => void } {
    let resolve!: () => void;
    const held = new Promise<void>((r) => (resolve = r));
    const entry = { match, resolve, links: [] as Link[] };
    this.holds.push(entry);
    return {
      held,
      release: () => {
        const i = this.holds.indexOf(entry);
        if (i >= 0) this.holds.splice(i, 1);
        for (const link of entry.links) {
          const bytes = Buffer.concat(link.held ?? []);
          link.held = undefined;
          if (!link.server.destroyed) link.server.write(bytes);
        }
      },
    };
  }

  /**
   * Sends a captured request again on a fresh connection straight to the server and returns the response
   * body: a duplicated message, as a retrying network or a confused middlebox would produce.
   */
  replay(request: CapturedRequest): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.targetPort, '127.0.0.1');
      const chunks: Buffer[] = [];
      // Ask the server to close after answering so the end of the response is the end of the stream.
      const raw = request.raw.toString('latin1').replace(/\r\nconnection: [^\r]*/i, '').replace('\r\n', '\r\nconnection: close\r\n');
      socket.on('connect', () => socket.write(Buffer.from(raw, 'latin1')));
      socket.on('data', (c) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(text.slice(text.indexOf('\r\n\r\n') + 4));
      });
    });
  }

  /** Stops listening and cuts everything. */
  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.connections++;
    if (this.refusing) {
      client.resetAndDestroy();
      return;
    }
    const server = connect(this.targetPort, '127.0.0.1');
    const link: Link = { client, server, webSocket: false, blackhole: false, pending: Buffer.alloc(0), cutAfter: undefined, held: undefined, heldResponse: undefined, cut: undefined, lastToServer: 0, lastToClient: 0 };
    this.links.add(link);
    client.setNoDelay(true);
    server.setNoDelay(true);
    client.on('data', (chunk) => this.fromClient(link, chunk));
    server.on('data', (chunk) => this.fromServer(link, chunk));
    const end = () => this.cutLink(link);
    client.on('error', end);
    server.on('error', end);
    client.on('close', end);
    server.on('close', end);
  }

  private cutLink(link: Link): void {
    if (!this.links.delete(link)) return;
    link.client.destroy();
    link.server.destroy();
  }

  /** Schedules `fn` after the delay, never before an earlier write of the same direction. */
  private later(link: Link, direction: 'lastToServer' | 'lastToClient', fn: () => void): void {
    if (this.delayMs === 0 && link[direction] <= Date.now()) return fn();
    const at = Math.max(Date.now() + this.delayMs, link[direction]);
    link[direction] = at;
    setTimeout(fn, at - Date.now());
  }

  private fromClient(link: Link, chunk: Buffer): void {
    if (link.blackhole) return;
    if (!link.webSocket) this.parseRequests(link, chunk);
    if (link.held) {
      link.held.push(chunk);
      return;
    }
    this.later(link, 'lastToServer', () => {
      if (!link.server.destroyed) link.server.write(chunk);
    });
  }

  private fromServer(link: Link, chunk: Buffer): void {
    if (link.blackhole) return;
    if (link.heldResponse) {
      link.heldResponse.push(chunk);
      // The server answered: the response is now held, which is what the test waits for.
      this.responseHolds.find((h) => h.links.includes(link))?.resolve();
      return;
    }
    let out = chunk;
    if (link.cutAfter !== undefined) {
      out = chunk.subarray(0, link.cutAfter);
      link.cutAfter -= out.length;
    }
    const cut = link.cutAfter === 0 ? link.cut : undefined;
    // Refuse at once, so nothing slips through between the cut and the test's next step.
    if (cut?.thenUnreachable) this.refusing = true;
    this.later(link, 'lastToClient', () => {
      if (out.length > 0 && !link.client.destroyed) link.client.write(out);
      if (cut) {
        this.cutLink(link);
        if (cut.thenUnreachable) this.dropAll();
        cut.resolve();
      }
    });
  }

  /** Finds complete HTTP requests in the client's bytes and arms cuts and holds for the matching ones. */
  private parseRequests(link: Link, chunk: Buffer): void {
    link.pending = Buffer.concat([link.pending, chunk]);
    for (;;) {
      const headerEnd = link.pending.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = link.pending.subarray(0, headerEnd).toString('latin1');
      if (/^upgrade:/im.test(head)) {
        link.webSocket = true;
        link.pending = Buffer.alloc(0);
        return;
      }
      const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
      const total = headerEnd + 4 + length;
      if (link.pending.length < total) return;
      const raw = link.pending.subarray(0, total);
      link.pending = link.pending.subarray(total);
      const request: CapturedRequest = { raw: Buffer.from(raw), body: raw.subarray(headerEnd + 4).toString('utf8') };
      this.requests.push(request);
      const cut = this.cuts.findIndex((t) => request.body.includes(t.match));
      if (cut >= 0) {
        const [trigger] = this.cuts.splice(cut, 1);
        link.cutAfter = trigger!.afterBytes;
        link.cut = trigger;
      }
      const responseHold = this.responseHolds.find((h) => request.body.includes(h.match) && h.links.length === 0);
      if (responseHold) {
        link.heldResponse = [];
        responseHold.links.push(link);
      }
      const hold = this.holds.find((h) => request.body.includes(h.match) && h.links.length === 0);
      if (hold) {
        link.held = [];
        hold.links.push(link);
        hold.resolve();
      }
    }
  }
}
