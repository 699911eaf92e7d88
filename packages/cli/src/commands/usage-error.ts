/**
 * A flag or setting that cannot work, said plainly; `offgrid` prints the message and exits with 2.
 *
 * @example
 * throw new UsageError('--schema is required: pass the path of your schema.graphql.')
 */
export class UsageError extends Error {}
