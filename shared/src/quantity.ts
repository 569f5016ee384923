/**
 * Kubernetes `resource.Quantity`: parse, compare, add and print in canonical form.
 *
 * Guarantees:
 * - Values are exact: a `ParsedQuantity` holds the amount in nano units as a BigInt, so
 *   `0.1 + 0.2` style float drift never happens. Precision finer than 1n is rounded away
 *   from zero on parse, as Kubernetes does.
 * - `formatQuantity` prints what the Kubernetes apiserver would store: `1.5` -> `1500m`,
 *   `1.5Gi` -> `1536Mi`, `1000m` -> `1`, `1024Ki` -> `1Mi`, `2e3` -> `2e3` (the format of
 *   the input's suffix is kept: decimal SI, binary SI or decimal exponent).
 * - Parse failures throw `QuantityError` with Kubernetes' own messages.
 * The API types keep quantities as strings (`core.ts` `Quantity`); parse at the point of use.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface ParsedQuantity {
  /** the amount times 10^9 */
  readonly nano: bigint;
  readonly format: QuantityFormat;
}

export const QUANTITY_REGEX_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_QUANTITY_FORMAT = `quantities must match the regular expression '${QUANTITY_REGEX_STRING}'`;
export const ERR_QUANTITY_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_QUANTITY_SUFFIX = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const NANO = 1_000_000_000n;
const SPLIT_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_POWER = new Map(Object.entries(BINARY_SUFFIXES).map(([s, p]) => [p, s]));

interface Suffix { format: QuantityFormat; base: 2 | 10; exponent: number }

function interpretSuffix(s: string): Suffix | undefined {
  const dec = DECIMAL_SUFFIXES[s];
  if (dec !== undefined) return { format: 'DecimalSI', base: 10, exponent: dec };
  const bin = BINARY_SUFFIXES[s];
  if (bin !== undefined) return { format: 'BinarySI', base: 2, exponent: bin * 10 };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?[0-9]+$/.test(s.slice(1))) {
    const exponent = Number(s.slice(1));
    if (Number.isSafeInteger(exponent) && Math.abs(exponent) <= 1000) return { format: 'DecimalExponent', base: 10, exponent };
  }
  return undefined;
}

/** Division rounding away from zero (Kubernetes rounds quantities "up"). */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : n < 0n ? q - 1n : q + 1n;
}

/** Recently parsed strings: manifests repeat a handful of quantities ("100m", "128Mi"). */
const parsed = new Map<string, Readonly<ParsedQuantity>>();
const PARSED_MAX = 1024;

/** Parses a quantity string (or a JSON number) into an exact value; throws `QuantityError`. */
export function parseQuantity(input: string | number): ParsedQuantity {
  if (typeof input !== 'string') return parseUncached(input);
  let p = parsed.get(input);
  if (!p) {
    p = Object.freeze(parseUncached(input));
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(input, p);
  }
  return p;
}

function parseUncached(input: string | number): ParsedQuantity {
  const str = typeof input === 'number' ? numberToString(input) : input;
  if (typeof str !== 'string' || str.length === 0) throw new QuantityError(ERR_QUANTITY_FORMAT);
  if (str === '0') return { nano: 0n, format: 'DecimalSI' };
  const m = SPLIT_RE.exec(str);
  if (!m) throw new QuantityError(ERR_QUANTITY_FORMAT);
  const [, sign = '', whole = '', frac = '', suffixText = ''] = m;
  if (whole.length === 0 && frac.length === 0) throw new QuantityError(ERR_QUANTITY_NUMERIC);
  const suffix = interpretSuffix(suffixText);
  if (!suffix) throw new QuantityError(ERR_QUANTITY_SUFFIX);

  // value = digits * 10^-frac.length * base^exponent; compute it in nano units.
  let numerator = BigInt((whole || '0') + frac) * NANO;
  let denominator = 10n ** BigInt(frac.length);
  if (suffix.base === 2) numerator *= 2n ** BigInt(suffix.exponent);
  else if (suffix.exponent >= 0) numerator *= 10n ** BigInt(suffix.exponent);
  else denominator *= 10n ** BigInt(-suffix.exponent);
  let nano = divAwayFromZero(numerator, denominator);
  if (sign === '-') nano = -nano;
  return { nano, format: suffix.format };
}

function numberToString(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError(ERR_QUANTITY_FORMAT);
  return String(n).replace('e+', 'e');
}

export function isValidQuantity(s: unknown): boolean {
  if (typeof s !== 'string' && typeof s !== 'number') return false;
  try {
    parseQuantity(s);
    return true;
  } catch {
    return false;
  }
}

const q = (x: ParsedQuantity | string | number): ParsedQuantity =>
  typeof x === 'object' ? x : parseQuantity(x);

/** Millicores (or milli-units), rounded up like `Quantity.MilliValue()`. */
export function toMilli(x: ParsedQuantity | string | number): number {
  return Number(divAwayFromZero(q(x).nano, 1_000_000n));
}

/** Whole units (bytes for memory), rounded up like `Quantity.Value()`. */
export function toBytes(x: ParsedQuantity | string | number): number {
  return Number(divAwayFromZero(q(x).nano, NANO));
}

/** The value as a float; for display and ratios only. */
export function toNumber(x: ParsedQuantity | string | number): number {
  const v = q(x).nano;
  return Number(v / NANO) + Number(v % NANO) / 1e9;
}

/** -1, 0 or 1. */
export function compareQuantity(a: ParsedQuantity | string | number, b: ParsedQuantity | string | number): number {
  const x = q(a).nano;
  const y = q(b).nano;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sum; keeps the first non-zero operand's format, as Kubernetes' `Add` does. */
export function addQuantities(...items: Array<ParsedQuantity | string | number>): ParsedQuantity {
  let nano = 0n;
  let format: QuantityFormat = 'DecimalSI';
  for (const item of items) {
    const p = q(item);
    if (nano === 0n) format = p.format;
    nano += p.nano;
  }
  return { nano, format };
}

export function subtractQuantities(a: ParsedQuantity | string | number, b: ParsedQuantity | string | number): ParsedQuantity {
  const x = q(a);
  return { nano: x.nano - q(b).nano, format: x.format };
}

export const milliQuantity = (milli: number): ParsedQuantity => ({ nano: BigInt(Math.round(milli)) * 1_000_000n, format: 'DecimalSI' });
export const bytesQuantity = (bytes: number): ParsedQuantity => ({ nano: BigInt(Math.round(bytes)) * NANO, format: 'BinarySI' });

/** Canonical string, as the Kubernetes apiserver serializes the quantity. */
export function formatQuantity(x: ParsedQuantity | string | number): string {
  const { nano, format } = q(x);
  if (nano === 0n) return '0';
  if (format === 'BinarySI' && (nano <= -1024n * NANO || nano >= 1024n * NANO) && nano % NANO === 0n) {
    let amount = nano / NANO;
    let power = 0;
    while (power < 6 && amount % 1024n === 0n) {
      amount /= 1024n;
      power++;
    }
    return `${amount}${BINARY_BY_POWER.get(power) ?? ''}`;
  }
  let amount = nano;
  let exponent = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    amount *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  while (exponent > 18) {
    amount *= 1000n;
    exponent -= 3;
  }
  return `${amount}${DECIMAL_BY_EXPONENT.get(exponent) ?? ''}`;
}
