import type { ScalarType } from './types';

/** Every scalar a field may use: GraphQL's built-ins, then Amplify's AWS scalars. */
export const SCALAR_TYPES: readonly ScalarType[] = [
  'ID',
  'String',
  'Int',
  'Float',
  'Boolean',
  'AWSDate',
  'AWSTime',
  'AWSDateTime',
  'AWSTimestamp',
  'AWSEmail',
  'AWSJSON',
  'AWSURL',
  'AWSPhone',
  'AWSIPAddress',
];

const scalarSet: ReadonlySet<string> = new Set(SCALAR_TYPES);

/**
 * True when `name` is a scalar Offgrid understands.
 *
 * @example
 * ```ts
 * isScalarType('AWSDateTime'); // true
 * isScalarType('Date'); // false
 * ```
 */
export function isScalarType(name: string): name is ScalarType {
  return scalarSet.has(name);
}
