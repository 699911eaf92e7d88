import { readFileSync } from 'node:fs';

/** A dependency's installed version, read from bench/node_modules (some packages do not export package.json). */
export function versionOf(pkg) {
  const url = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}
