import type { ScalarType } from '../types';

const TZ = '(Z|[+-]\\d{2}:\\d{2}(:\\d{2})?)';
const DATE = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/;
const TIME = new RegExp(`^\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?${TZ}?$`);
const DATE_TIME = new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?${TZ}$`);
// AppSync's own check is lenient; this catches the typos users make without rejecting valid addresses.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ().-]{2,}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9a-fA-F:]+(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

function validCalendarDate(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/**
 * Why a value is not a valid `type`, or undefined when it is. The formats follow AppSync's scalar docs.
 *
 * @example
 * scalarProblem('AWSDate', '2026-13-01') // 'expected an AWSDate (YYYY-MM-DD), got "2026-13-01"'
 */
export function scalarProblem(type: ScalarType, value: unknown): string | undefined {
  const got = typeof value === 'string' ? `"${value}"` : `${typeof value} ${JSON.stringify(value)}`;
  switch (type) {
    case 'ID':
    case 'String':
      return typeof value === 'string' ? undefined : `expected a string, got ${got}`;
    case 'Int':
    case 'AWSTimestamp':
      return Number.isSafeInteger(value) ? undefined : `expected an integer (${type}), got ${got}`;
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `expected a finite number, got ${got}`;
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${got}`;
  }
  if (typeof value !== 'string') return `expected ${type} as a string, got ${got}`;
  switch (type) {
    case 'AWSDate': {
      const m = DATE.exec(value);
      return m && validCalendarDate(m[1]!, m[2]!, m[3]!) ? undefined : `expected an AWSDate (YYYY-MM-DD), got ${got}`;
    }
    case 'AWSTime':
      return TIME.test(value) ? undefined : `expected an AWSTime (hh:mm:ss.sss, optional offset), got ${got}`;
    case 'AWSDateTime':
      return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : `expected an AWSDateTime (YYYY-MM-DDThh:mm:ss.sssZ with a Z or offset), got ${got}`;
    case 'AWSEmail':
      return EMAIL.test(value) ? undefined : `expected an email address, got ${got}`;
    case 'AWSJSON':
      try {
        JSON.parse(value);
        return undefined;
      } catch {
        return `expected a JSON string (AWSJSON; pass JSON.stringify(value)), got ${got}`;
      }
    case 'AWSURL':
      return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/./.test(value) && URL.canParse(value)
        ? undefined
        : `expected an absolute URL with a scheme (AWSURL), got ${got}`;
    case 'AWSPhone':
      return PHONE.test(value) ? undefined : `expected a phone number (AWSPhone), got ${got}`;
    case 'AWSIPAddress':
      return IPV4.test(value) || (value.includes(':') && IPV6.test(value))
        ? undefined
        : `expected an IPv4 or IPv6 address (AWSIPAddress), got ${got}`;
  }
}
