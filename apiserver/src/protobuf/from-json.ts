/**
 * JSON object -> plain object for protobufjs `Type.fromObject` (fields `f<number>`): the inverse
 * of to-json.ts, used to encode protobuf bodies (tests, and any caller that wants to answer in
 * protobuf). Unknown JSON fields are dropped.
 */
import { GO_TYPES } from './types.generated.js';

type Plain = Record<string, unknown>;

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function specialFromJson(t: string, v: unknown): Plain | undefined {
  switch (t) {
    case 'Time':
    case 'MicroTime': {
      if (typeof v !== 'string') return undefined;
      const ms = Date.parse(v);
      const frac = /\.(\d+)Z$/.exec(v)?.[1] ?? '';
      return { f1: Math.floor(ms / 1000), f2: Number(frac.padEnd(9, '0').slice(0, 9)) };
    }
    case 'IntOrString':
      return typeof v === 'string' ? { f1: 1, f3: v } : { f1: 0, f2: Number(v ?? 0) };
    case 'Quantity':
      return { f1: String(v ?? '0') };
    case 'RawExtension':
    case 'FieldsV1':
      return v === null || v === undefined ? undefined : { f1: Buffer.from(JSON.stringify(v)) };
    case 'Duration':
      return undefined; // never sent by kubectl generators; left out
    default:
      return undefined;
  }
}

const SPECIALS = new Set(['Time', 'MicroTime', 'Duration', 'IntOrString', 'Quantity', 'RawExtension', 'FieldsV1']);

function valueFromJson(t: string, v: unknown): unknown {
  if (SPECIALS.has(t)) return specialFromJson(t, v);
  if (GO_TYPES[t]) return isObj(v) ? structFromJson(t, v) : undefined;
  if (t === 'bytes') return typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
  return v;
}

export function structFromJson(type: string, json: Record<string, unknown>): Plain {
  const out: Plain = {};
  for (const f of GO_TYPES[type] ?? []) {
    if (f.f === undefined) continue;
    const key = `f${f.f}`;
    if (f.n === '') {
      out[key] = structFromJson(f.t, json);
      continue;
    }
    const v = json[f.n];
    if (v === undefined || v === null) continue;
    if (f.m && isObj(v)) {
      const m: Plain = {};
      for (const [k, x] of Object.entries(v)) m[k] = valueFromJson(f.t, x);
      out[key] = m;
    } else if (f.r && Array.isArray(v)) {
      out[key] = v.map((x) => valueFromJson(f.t, x));
    } else {
      const x = valueFromJson(f.t, v);
      if (x !== undefined) out[key] = x;
    }
  }
  return out;
}
