/**
 * The apiserver's patch engine: pure functions from (kind, live object, patch type, body) to the
 * patched object. The caller (the generic PATCH handler) owns preconditions, validation, storage
 * and the create-on-apply rule (it applies onto `{}` when the object is missing). `original` is
 * never mutated. Errors are ApiErrors with the codes kube-apiserver uses.
 */
import { badRequest } from './errors.js';
import { isPlainObject, parseJsonBody } from './json-body.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyServerSide } from './apply.js';
import { schemaForKind } from './schema.js';
import { strategicMerge, type Json } from './strategic.js';
import { unsupportedPatchMediaType, type PatchKind } from './content-type.js';

export { patchKindFromContentType, unsupportedPatchMediaType, PATCH_MEDIA_TYPES, type PatchKind } from './content-type.js';
export { parseJsonBody, MAX_NESTING_DEPTH } from './json-body.js';
export { parseApplyBody } from './apply.js';
export { KIND_TYPES } from './schema.js';

export function applyStrategicPatch(kind: string, original: object, body: string): Record<string, unknown> {
  const schema = schemaForKind(kind);
  // Kubernetes has no strategic merge patch for kinds without Go types (CRDs): 415.
  if (!schema) throw unsupportedPatchMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  const patch = parseJsonBody(body, 'patch');
  if (!isPlainObject(patch)) throw badRequest('invalid JSON document');
  return strategicMerge(structuredClone(original) as Record<string, Json>, patch as Record<string, Json>, schema);
}

export function applyPatch(kind: string, original: object, patchKind: PatchKind, body: string): object {
  let result: unknown;
  switch (patchKind) {
    case 'json':
      result = applyJsonPatch(original, body);
      break;
    case 'merge':
      result = applyMergePatch(original, body);
      break;
    case 'strategic':
      result = applyStrategicPatch(kind, original, body);
      break;
    case 'apply':
      result = applyServerSide(kind, original, body);
      break;
    default:
      throw unsupportedPatchMediaType();
  }
  if (!isPlainObject(result)) throw badRequest('the patched document is not an object');
  return result;
}
