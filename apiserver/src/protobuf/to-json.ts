/**
 * Decoded protobuf message -> the JSON object Go's encoding/json would print for the same Go
 * value (what kube-apiserver stores and kubectl prints): omitempty fields left out when zero,
 * non-pointer structs always present (`status: {}`), nil pointers/slices/maps without omitempty
 * as null, inlined embedded structs flattened, zero metav1.Time as null, Time as RFC 3339,
 * IntOrString as number|string, Quantity as its string, []byte as base64.
 */
import { GO_TYPES, type GoField } from './types.generated.js';

type Msg = Record<string, unknown>;
type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

const has = (m: Msg | undefined, k: string): boolean => m !== undefined && Object.prototype.hasOwnProperty.call(m, k);

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v && typeof v.toNumber === 'function') {
    return Number((v as { toNumber: () => number }).toNumber()); // protobufjs int64 as Long
  }
  return Number(v ?? 0);
}

function formatTime(seconds: number, nanos: number, micro: boolean): string {
  const iso = new Date(seconds * 1000).toISOString(); // 2006-01-02T15:04:05.000Z
  if (!micro) return `${iso.slice(0, 19)}Z`;
  return `${iso.slice(0, 19)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** Go's time.Duration String(): 1h2m3.5s, 150ms, 0s. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  if (n < 1e9) {
    if (n < 1e3) return `${sign}${n}ns`;
    if (n < 1e6) return `${sign}${n / 1e3}µs`;
    return `${sign}${n / 1e6}ms`;
  }
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = n / 1e9;
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

function isZeroTime(m: Msg | undefined): boolean {
  return !m || (toNumber(m.f1) === 0 && toNumber(m.f2) === 0);
}

/** JSON for a special (custom-codec) type; `undefined` means "zero value". */
function specialToJson(t: string, m: Msg | undefined): JsonValue | undefined {
  switch (t) {
    case 'Time':
    case 'MicroTime':
      return isZeroTime(m) ? null : formatTime(toNumber(m?.f1), toNumber(m?.f2), t === 'MicroTime');
    case 'Duration':
      return formatDuration(toNumber(m?.f1));
    case 'IntOrString':
      return toNumber(m?.f1) === 1 ? String(m?.f3 ?? '') : toNumber(m?.f2);
    case 'Quantity':
      return typeof m?.f1 === 'string' && m.f1 !== '' ? m.f1 : '0';
    case 'RawExtension':
    case 'FieldsV1': {
      const raw = m?.f1 as Uint8Array | undefined;
      if (!raw || raw.length === 0) return null;
      return JSON.parse(Buffer.from(raw).toString('utf8')) as JsonValue;
    }
    default:
      return undefined;
  }
}

function isSpecial(t: string): boolean {
  return t === 'Time' || t === 'MicroTime' || t === 'Duration' || t === 'IntOrString' || t === 'Quantity' || t === 'RawExtension' || t === 'FieldsV1';
}

function scalarToJson(t: string, v: unknown): JsonValue {
  switch (t) {
    case 'int32':
    case 'int64':
    case 'float64':
      return toNumber(v);
    case 'bool':
      return Boolean(v);
    case 'bytes':
      return Buffer.from((v as Uint8Array | undefined) ?? []).toString('base64');
    default:
      return String(v ?? '');
  }
}

function isZeroScalar(t: string, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (t === 'bytes') return (v as Uint8Array).length === 0;
  if (t === 'bool') return v === false;
  if (t === 'string') return v === '';
  return toNumber(v) === 0;
}

/** One element (list item, map value or single value) of type t. */
function valueToJson(t: string, v: unknown): JsonValue {
  if (isSpecial(t)) return specialToJson(t, v as Msg) ?? null;
  if (GO_TYPES[t]) return structToJson(t, v as Msg);
  return scalarToJson(t, v);
}

export function structToJson(type: string, m: Msg | undefined, out: { [k: string]: JsonValue } = {}): { [k: string]: JsonValue } {
  for (const f of GO_TYPES[type] ?? []) fieldToJson(f, m, out);
  return out;
}

function fieldToJson(f: GoField, m: Msg | undefined, out: { [k: string]: JsonValue }): void {
  const key = `f${f.f ?? 0}`;
  const present = f.f !== undefined && has(m, key);
  const v = present ? m?.[key] : undefined;
  if (f.n === '') {
    // inlined embedded struct (pointer embeds: only when set)
    if (!f.p || present) structToJson(f.t, v as Msg | undefined, out);
    return;
  }
  if (f.r || f.m) {
    const empty = f.m ? !v || Object.keys(v as object).length === 0 : !v || (v as unknown[]).length === 0;
    if (empty) {
      if (!f.o) out[f.n] = null;
      return;
    }
    if (f.m) {
      const obj: { [k: string]: JsonValue } = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) obj[k] = valueToJson(f.t, x);
      out[f.n] = obj;
    } else {
      out[f.n] = (v as unknown[]).map((x) => valueToJson(f.t, x));
    }
    return;
  }
  if (f.p) {
    if (present) out[f.n] = valueToJson(f.t, v);
    else if (!f.o) out[f.n] = null;
    return;
  }
  if (GO_TYPES[f.t]) {
    out[f.n] = structToJson(f.t, v as Msg | undefined); // Go never omits a struct value
    return;
  }
  if (isSpecial(f.t)) {
    out[f.n] = specialToJson(f.t, v as Msg | undefined) ?? null;
    return;
  }
  if (f.o && isZeroScalar(f.t, v)) return;
  if (f.t === 'bytes' && isZeroScalar(f.t, v)) {
    out[f.n] = null; // nil []byte
    return;
  }
  out[f.n] = scalarToJson(f.t, v);
}
