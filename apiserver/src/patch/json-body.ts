/**
 * Guarded JSON parsing for request bodies. `parseJsonBody` rejects malformed JSON and documents
 * nested deeper than MAX_NESTING_DEPTH with a 400 BadRequest before building the value, so a
 * hostile body cannot blow the stack of the recursive code (patch engines, validation) that
 * walks it. The apiserver uses it for every JSON body, patches included.
 */
import { ApiError } from '@mk8s/shared';

export const MAX_NESTING_DEPTH = 100;

/** Nesting depth of a JSON text's arrays and objects, scanning without parsing (strings skipped). */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Depth of an already-built value (objects and arrays count one level each). */
export function valueDepth(value: unknown, limit = MAX_NESTING_DEPTH + 1): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit <= 0) return 1;
  let max = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    const d = valueDepth(v, limit - 1);
    if (d > max) max = d;
  }
  return max + 1;
}

export function tooDeep(): ApiError {
  return new ApiError(400, 'BadRequest', `the request body is nested deeper than the maximum depth of ${MAX_NESTING_DEPTH}`);
}

/**
 * Parse a JSON request body. `what` prefixes the decode error message (Kubernetes says
 * `error decoding patch: ...` for patches).
 */
export function parseJsonBody(text: string, what = 'body'): unknown {
  if (jsonTextDepth(text) > MAX_NESTING_DEPTH) throw tooDeep();
  try {
    // A reviver makes JSON.parse several times slower; only bodies naming the key need it.
    return (text.includes('__proto__') ? JSON.parse(text, dropProtoKey) : JSON.parse(text)) as unknown;
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `error decoding ${what}: ${(err as Error).message}`);
  }
}

/**
 * JSON.parse reviver dropping `__proto__` keys: parsed they are harmless own properties, but
 * copying them into another object (`out[k] = v` in the merge code) would swap its prototype.
 */
function dropProtoKey(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

/** The same for values built by other parsers (YAML). Mutates and returns `value`. */
export function stripProtoKeys<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_NESTING_DEPTH) return value;
  if (Array.isArray(value)) for (const v of value) stripProtoKeys(v, depth + 1);
  else {
    const obj = value as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(obj, '__proto__')) delete obj['__proto__'];
    for (const v of Object.values(obj)) stripProtoKeys(v, depth + 1);
  }
  return value;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
