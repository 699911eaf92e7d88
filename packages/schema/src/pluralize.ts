import { ownProperty } from './own-property';

/**
 * Amplify names `listTodos`/`syncShelves` with the `pluralize` package. Offgrid must produce the
 * same operation names without the dependency, so this reproduces the rules that matter for
 * model names. Only the last word of a PascalCase name changes (`SalesPerson` -> `SalesPeople`).
 */

const irregular: Record<string, string> = {
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  mouse: 'mice',
  goose: 'geese',
  tooth: 'teeth',
  foot: 'feet',
  ox: 'oxen',
};

const uncountable = new Set([
  'data',
  'equipment',
  'information',
  'metadata',
  'money',
  'news',
  'rice',
  'series',
  'species',
  'sheep',
  'deer',
  'fish',
  'feedback',
  'staff',
]);

/** Checked in order; the first that matches wins. */
const rules: Array<[RegExp, string]> = [
  [/(quiz)$/i, '$1zes'],
  [/(matr|vert|ind)(?:ix|ex)$/i, '$1ices'],
  [/(bu)s$/i, '$1ses'],
  [/(alias|[^aou]us|t[lm]as|gas|ris)$/i, '$1es'],
  [/sis$/i, 'ses'],
  [/(x|ch|ss|sh|zz)$/i, '$1es'],
  [/([^aeiouy]|qu)y$/i, '$1ies'],
  [/(?:([^f])fe|([lr])f)$/i, '$1$2ves'],
  [/(her|at|gr)o$/i, '$1oes'],
  // A word that already ends in a plain plural `s` (`PostTags`) stays as it is, as pluralize does.
  [/([^aeious])s$/i, '$1s'],
];

/**
 * Amplify's plural of a model name, used for `listXs` / `syncXs`.
 *
 * @example
 * ```ts
 * pluralize('Todo'); // 'Todos'
 * pluralize('Shelf'); // 'Shelves'
 * pluralize('Diary'); // 'Diaries'
 * ```
 */
export function pluralize(name: string): string {
  const match = /^(.*?)([A-Z]?[a-z0-9]*)$/.exec(name);
  const head = match?.[1] ?? '';
  const word = match?.[2] ?? name;
  if (word === '') return `${name}s`;
  const lower = word.toLowerCase();
  if (uncountable.has(lower)) return name;
  const irregularPlural = ownProperty(irregular, lower);
  if (irregularPlural !== undefined) return head + restoreCase(word, irregularPlural);
  for (const [pattern, replacement] of rules) {
    if (pattern.test(word)) return head + word.replace(pattern, replacement);
  }
  return `${name}s`;
}

function restoreCase(original: string, plural: string): string {
  const first = original.charAt(0);
  return first === first.toUpperCase() ? plural.charAt(0).toUpperCase() + plural.slice(1) : plural;
}
