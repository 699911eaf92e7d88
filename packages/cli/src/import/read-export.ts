import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** One line of an export: the file, its 1-based line number and the parsed JSON (or why it did not parse). */
export interface ExportLine {
  file: string;
  line: number;
  value?: unknown;
  error?: string;
}

function isDataFile(name: string): boolean {
  return /\.json(\.gz)?$/.test(name) && !/^manifest-/.test(name);
}

/**
 * The data files of an export: the file itself, or every `*.json` / `*.json.gz` under a directory
 * (DynamoDB writes `AWSDynamoDB/<export id>/data/*.json.gz`; `manifest-*.json` files are skipped), sorted.
 */
export function exportFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (isDataFile(entry.name)) files.push(full);
    }
  };
  walk(path);
  return files;
}

/** Reads an export line by line (gzip by extension or magic bytes), without loading files into memory. */
export async function* readExport(path: string): AsyncGenerator<ExportLine> {
  for (const file of exportFiles(path)) {
    const name = statSync(path).isDirectory() ? relative(path, file) || file : file;
    const raw = createReadStream(file);
    const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      try {
        yield { file: name, line, value: JSON.parse(text) };
      } catch (error) {
        yield { file: name, line, error: `not JSON (${(error as Error).message})` };
      }
    }
  }
}
