/**
 * Field errors as Kubernetes reports them (apimachinery `field.Error`), built straight into
 * `StatusCause`s: `reason` is the stable error type (`FieldValueInvalid`, ...), `field` the
 * JSON path (`spec.containers[0].image`), `message` the body kubectl prints after the field
 * (`Required value`, `Invalid value: "X": why`). Pure helpers; no I/O.
 */
import type { StatusCause } from '@mk8s/shared';

export type CauseReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueDuplicate'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound';

export interface FieldCause extends StatusCause {
  reason: CauseReason;
  message: string;
  field: string;
}

/** Renders a bad value the way Go's field errors do: strings quoted, numbers plain, rest as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

const withDetail = (body: string, detail?: string): string => (detail ? `${body}: ${detail}` : body);

export const required = (field: string, detail?: string): FieldCause => ({
  reason: 'FieldValueRequired',
  message: withDetail('Required value', detail),
  field,
});

export const invalid = (field: string, value: unknown, detail?: string): FieldCause => ({
  reason: 'FieldValueInvalid',
  message: withDetail(`Invalid value: ${formatValue(value)}`, detail),
  field,
});

export const duplicate = (field: string, value: unknown): FieldCause => ({
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${formatValue(value)}`,
  field,
});

export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldCause => ({
  reason: 'FieldValueNotSupported',
  message: withDetail(
    `Unsupported value: ${formatValue(value)}`,
    supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined,
  ),
  field,
});

export const forbidden = (field: string, detail: string): FieldCause => ({
  reason: 'FieldValueForbidden',
  message: withDetail('Forbidden', detail),
  field,
});

export const tooLong = (field: string, maxBytes: number): FieldCause => ({
  reason: 'FieldValueTooLong',
  message: `Too long: must have at most ${maxBytes} bytes`,
  field,
});

export const tooMany = (field: string, actual: number, max: number): FieldCause => ({
  reason: 'FieldValueTooMany',
  message: `Too many: ${actual}: must have at most ${max} items`,
  field,
});

export const notFound = (field: string, value: unknown): FieldCause => ({
  reason: 'FieldValueNotFound',
  message: `Not found: ${formatValue(value)}`,
  field,
});

/** Path builders: `child('spec', 'containers')`, `index('spec.containers', 0)`, `key('data', 'k')`. */
export const child = (path: string, name: string): string => (path ? `${path}.${name}` : name);
export const index = (path: string, i: number): string => `${path}[${i}]`;
export const key = (path: string, k: string): string => `${path}[${k}]`;

export const IMMUTABLE = 'field is immutable';

/** Wraps each message of a string validator into an `Invalid value` cause. */
export const invalidEach = (field: string, value: unknown, messages: string[]): FieldCause[] =>
  messages.map((m) => invalid(field, value, m));

/** For values of unknown shape: narrows to a string-keyed record. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** For typed values that may be absent or malformed at run time: keeps the static type. */
export const isObj = <T>(v: T | null | undefined): v is T => typeof v === 'object' && v !== null && !Array.isArray(v);
export const arrayOf = <T>(v: T[] | undefined | unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
export const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** `must be greater than or equal to 0` for a present value that is negative or not an integer. */
export function nonNegative(field: string, value: unknown): FieldCause[] {
  if (!isSet(value)) return [];
  if (typeof value !== 'number' || !Number.isInteger(value)) return [invalid(field, value, 'must be an integer')];
  return value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** Deep equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
