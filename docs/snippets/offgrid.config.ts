// #region config
// offgrid serve --schema schema.graphql --config offgrid.config.ts   (Node 22.18+; .mjs on Node 20)
import type { ServerOptions } from '@offgrid/server';

const config: Partial<ServerOptions> = {
  conflicts: {
    Todo: { strategy: 'AUTOMERGE', scalarRule: 'LAST_WRITER_WINS' },
    Invoice: { strategy: 'OPTIMISTIC_CONCURRENCY' },
    Booking: {
      strategy: 'CUSTOM',
      // Refuse an edit of a booking that was confirmed meanwhile; otherwise apply it.
      resolve: ({ stored, incoming, identity }) =>
        stored.status === 'CONFIRMED' && identity.kind !== 'admin'
          ? { action: 'reject', message: 'This booking was confirmed; it can no longer change.' }
          : { action: 'resolve', record: { ...stored, ...incoming } },
    },
  },
  defaultConflict: { strategy: 'AUTOMERGE' }, // SERVER_WINS for a field both sides changed, as AppSync
  auth: {
    apiKeys: ['public-read-key'],
    jwt: { jwksUrl: 'https://example.eu.auth0.com/.well-known/jwks.json', issuer: 'https://example.eu.auth0.com/', audience: 'offgrid' },
    adminApiKeys: [process.env.OFFGRID_ADMIN_KEY!], // back-office tools: bypass @auth rules
  },
  limits: { maxBodyBytes: 2 * 1024 * 1024, maxPageSize: 1000, maxPageBytes: 1_000_000, maxRequestsPerSecond: 100 },
  tombstoneRetentionMs: 30 * 24 * 60 * 60 * 1000,
  allowOwnerTransfer: false,
};
export default config;
// #endregion config
