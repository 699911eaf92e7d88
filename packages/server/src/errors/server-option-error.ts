/**
 * A server option that cannot work (a negative limit, a timeout that is not a number), named with the value
 * it got and what to pass instead. Thrown by `createOffgridServer` before anything starts.
 *
 * @example
 * throw new ServerOptionError('limits.maxIdLength', -1, 'a whole number of characters, 1 or more')
 */
export class ServerOptionError extends Error {
  readonly code = 'INVALID_SERVER_OPTION';

  constructor(
    readonly option: string,
    value: unknown,
    expected: string,
  ) {
    super(`${option} must be ${expected}; got ${JSON.stringify(value) ?? String(value)}.`);
    this.name = 'ServerOptionError';
  }
}
