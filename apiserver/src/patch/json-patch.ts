/**
 * RFC 6902 JSON patch via fast-json-patch, with kube-apiserver's error mapping: a body that is
 * not a list of operations is 400 BadRequest; an operation that cannot be applied (failed
 * `test`, missing path, unknown op) is 422 with the generic "rejected our request" message;
 * more than 10000 operations is 413.
 */
import fjp from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { ApiError } from '@mk8s/shared';
import { badRequest, patchNotApplicable } from './errors.js';
import { isPlainObject, parseJsonBody } from './json-body.js';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

export function applyJsonPatch(original: object, body: string): unknown {
  const ops = parseJsonBody(body, 'patch');
  if (!Array.isArray(ops) || !ops.every(isPlainObject)) {
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new ApiError(413, 'RequestEntityTooLarge', `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  const doc = structuredClone(original);
  let result: unknown = doc;
  for (const [i, op] of ops.entries()) {
    try {
      result = fjp.applyOperation(result, op as unknown as Operation, true, true, true, i).newDocument;
    } catch (err) {
      throw patchNotApplicable(describe(op, err));
    }
  }
  return result;
}

function describe(op: Record<string, unknown>, err: unknown): string {
  const kind = typeof op.op === 'string' ? op.op : '';
  const path = typeof op.path === 'string' ? op.path : '';
  const name = (err as { name?: string }).name ?? '';
  switch (name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_OP_INVALID':
      return `Unexpected kind: ${kind}`;
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `${kind} operation does not apply: doc is missing path: "${path}": missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${kind} operation does not apply: doc is missing from path: "${String(op.from)}": missing value`;
    default:
      return `${kind} operation failed: ${(err as Error).message}`;
  }
}
