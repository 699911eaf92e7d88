import { StorageError } from '@offgrid/core';

/**
 * Quotes a table, column or index name for SQL. Names come from the user's schema, so they are always
 * quoted (a field called `order` or `group` is legal GraphQL) and embedded quotes are doubled, which is
 * SQLite's only escape inside a quoted identifier. A NUL character cannot be represented and is refused.
 *
 * @example
 * quoteIdentifier('Todo')      // '"Todo"'
 * quoteIdentifier('we"ird')    // '"we""ird"'
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\u0000')) {
    throw new StorageError('sqlite', `cannot use ${JSON.stringify(name)} as a table or column name: it is empty or contains a NUL character.`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}
