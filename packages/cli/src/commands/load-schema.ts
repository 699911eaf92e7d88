import { readFileSync } from 'node:fs';
import { parseSchema, SchemaError, type NormalizedSchema } from '@offgrid/schema';
import { UsageError } from './serve-options';

/**
 * Reads and parses a schema file for a command; a missing file or bad SDL becomes a {@link UsageError} that
 * names the file (and the line and column) and what to change.
 */
export function loadSchemaFile(path: string, sourceName = path): NormalizedSchema {
  let sdl: string;
  try {
    sdl = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`Cannot read the schema file ${path}: check the --schema path.`);
  }
  try {
    return parseSchema(sdl, { sourceName });
  } catch (error) {
    if (error instanceof SchemaError) throw new UsageError(error.message);
    throw error;
  }
}
