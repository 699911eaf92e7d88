import type { FieldType, ScalarType } from './types';

const isoDate = /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/;
const isoTime = /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/;
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phone = /^\+?[\d\s\-().]{3,}$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/\d{1,2})?$/;
const ipv6 = /^[0-9a-f:]*:[0-9a-f:.]*(\/\d{1,3})?$/i;

/** What a valid literal of each scalar looks like, for the error message. */
const scalarExample: Record<ScalarType, string> = {
  ID: '"abc"',
  String: '"text"',
  Int: '"42"',
  Float: '"4.2"',
  Boolean: '"true" or "false"',
  AWSDate: '"2024-05-01"',
  AWSTime: '"13:45:00"',
  AWSDateTime: '"2024-05-01T13:45:00Z"',
  AWSTimestamp: '"1714571100"',
  AWSEmail: '"someone@example.com"',
  AWSJSON: '"{\\"a\\": 1}"',
  AWSURL: '"https://example.com"',
  AWSPhone: '"+1 206 555 0100"',
  AWSIPAddress: '"192.168.0.1"',
};

const checks: Record<ScalarType, (value: string) => boolean> = {
  ID: () => true,
  String: () => true,
  Int: (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  Float: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  Boolean: (v) => v === 'true' || v === 'false',
  AWSDate: (v) => isoDate.test(v),
  AWSTime: (v) => isoTime.test(v),
  AWSDateTime: (v) => isoDateTime.test(v) && !Number.isNaN(Date.parse(v)),
  AWSTimestamp: (v) => /^-?\d+$/.test(v),
  AWSEmail: (v) => email.test(v),
  AWSJSON: (v) => {
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  },
  AWSURL: (v) => /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v),
  AWSPhone: (v) => phone.test(v),
  AWSIPAddress: (v) => ipv4.test(v) || ipv6.test(v),
};

/**
 * Why `value` (as written in `@default(value: "...")`) does not fit `type`, or `undefined` when it
 * fits. The reason says what a valid value looks like.
 *
 * @example
 * ```ts
 * defaultValueProblem({ kind: 'scalar', name: 'Int' }, 'ten', new Map()); // 'is not a valid Int; write e.g. "42"'
 * ```
 */
export function defaultValueProblem(
  type: FieldType,
  value: string,
  enums: ReadonlyMap<string, readonly string[]>,
): string | undefined {
  if (type.kind === 'enum') {
    const values = enums.get(type.name) ?? [];
    return values.includes(value) ? undefined : `is not a value of enum ${type.name} (${values.join(', ')})`;
  }
  if (type.kind !== 'scalar') return `cannot be given to a ${type.kind === 'model' ? 'relation' : 'non-model'} field`;
  return checks[type.name](value) ? undefined : `is not a valid ${type.name}; write e.g. ${scalarExample[type.name]}`;
}
