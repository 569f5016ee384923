/**
 * RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, everything else
 * (arrays included) replaces. A patch body that is not a JSON object is 400 like Kubernetes.
 */
import { badRequest } from './errors.js';
import { isPlainObject, parseJsonBody } from './json-body.js';

export function applyMergePatch(original: object, body: string): unknown {
  const patch = parseJsonBody(body, 'patch');
  if (!isPlainObject(patch)) throw badRequest('Invalid JSON Patch');
  return mergeValue(structuredClone(original), patch);
}

export function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '__proto__') continue; // never walk into Object.prototype
    if (v === null) delete out[k];
    else out[k] = mergeValue(out[k], v);
  }
  return out;
}
