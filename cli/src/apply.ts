/**
 * Client-side apply, computed like kubectl's three-way merge but emitted as a JSON merge
 * patch: fields set in the new manifest that differ from the live object are set; fields
 * that were in the last-applied configuration and are gone from the new manifest are
 * deleted (null); lists are replaced whole, unless the manifest's list is unchanged since
 * the last apply and still a subset of the live list (so server defaults inside list items
 * do not make every apply "configured"). Pure.
 */
import { sortKeys } from './printers/json.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Scalars compare loosely across number/string (`1` vs `"1"`), as a quantity would. */
function scalarEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'number' && typeof b === 'string') || (typeof a === 'string' && typeof b === 'number')) return String(a) === String(b);
  return false;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return scalarEqual(a, b);
}

/** True when everything in `m` is also in `l` (l may have more keys, e.g. server defaults). */
export function isSubset(m: unknown, l: unknown): boolean {
  if (Array.isArray(m)) return Array.isArray(l) && m.length === l.length && m.every((x, i) => isSubset(x, l[i]));
  if (isObject(m)) return isObject(l) && Object.keys(m).every((k) => isSubset(m[k], l[k]));
  return scalarEqual(m, l);
}

function diff(original: JsonObject | undefined, modified: JsonObject, live: JsonObject | undefined): JsonObject {
  const patch: JsonObject = {};
  for (const [key, m] of Object.entries(modified)) {
    const l = live?.[key];
    const o = original?.[key];
    if (isObject(m) && isObject(l)) {
      const sub = diff(isObject(o) ? o : undefined, m, l);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (Array.isArray(m)) {
      const unchangedSinceLastApply = o === undefined || deepEqual(m, o);
      if (!(unchangedSinceLastApply && isSubset(m, l))) patch[key] = m;
    } else if (isObject(m)) {
      patch[key] = m;
    } else if (!(live && key in live && scalarEqual(m, l))) {
      patch[key] = m;
    }
  }
  if (original) {
    for (const key of Object.keys(original)) {
      if (!(key in modified) && live && key in live) patch[key] = null;
    }
  }
  return patch;
}

/** The merge patch that takes `live` to the new manifest; `{}` means unchanged. */
export function computeApplyPatch(lastApplied: JsonObject | undefined, modified: JsonObject, live: JsonObject): JsonObject {
  return diff(lastApplied, modified, live);
}

/**
 * The manifest with its last-applied annotation set to its own JSON, in kubectl's exact
 * format (sorted keys, an `annotations` map always present, trailing newline), so that
 * kubectl and mkctl applies of the same manifest see each other's annotation as unchanged.
 */
export function withLastApplied(obj: JsonObject): JsonObject {
  const copy = structuredClone(obj);
  const meta = isObject(copy.metadata) ? copy.metadata : (copy.metadata = {});
  const annotations = isObject(meta.annotations) ? { ...meta.annotations } : {};
  delete annotations[LAST_APPLIED];
  const forAnnotation = structuredClone(obj);
  const m2 = isObject(forAnnotation.metadata) ? forAnnotation.metadata : (forAnnotation.metadata = {});
  const a2 = isObject(m2.annotations) ? m2.annotations : (m2.annotations = {});
  delete a2[LAST_APPLIED];
  meta.annotations = { ...annotations, [LAST_APPLIED]: JSON.stringify(sortKeys(forAnnotation)) + '\n' };
  return copy;
}

/** The last-applied configuration stored on a live object, if any and if readable. */
export function readLastApplied(live: JsonObject): JsonObject | undefined {
  const meta = live.metadata;
  const text = isObject(meta) && isObject(meta.annotations) ? meta.annotations[LAST_APPLIED] : undefined;
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
