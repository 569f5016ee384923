/**
 * Simplified server-side apply (`application/apply-patch+yaml`). The body (YAML or JSON) must be
 * one object with apiVersion, kind and metadata.name; it is merged into the live object (an empty
 * object when creating) with strategic-merge semantics.
 *
 * What real server-side apply does that this does not: it records per-manager field ownership in
 * metadata.managedFields, reports conflicts (409) when another manager owns a field being changed
 * (unless force=true), removes fields this manager applied before but left out now, and merges
 * lists by `listType=map` keys and `listType=set` rather than by patchMergeKey.
 */
import { parse } from 'yaml';
import { badRequest } from './errors.js';
import { isPlainObject, MAX_NESTING_DEPTH, parseJsonBody, stripProtoKeys, tooDeep, valueDepth } from './json-body.js';
import { schemaForKind } from './schema.js';
import { strategicMerge, type Json } from './strategic.js';

/** YAML parse limits: few aliases (no billion-laughs), bounded nesting. */
const MAX_ALIAS_COUNT = 10;

export function parseApplyBody(body: string): Record<string, unknown> {
  const trimmed = body.trimStart();
  let value: unknown;
  if (trimmed.startsWith('{')) value = parseJsonBody(body, 'YAML');
  else {
    if (flowDepth(body) > MAX_NESTING_DEPTH) throw tooDeep();
    try {
      value = parse(body, { maxAliasCount: MAX_ALIAS_COUNT, prettyErrors: false, uniqueKeys: true });
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
    if (valueDepth(value) > MAX_NESTING_DEPTH) throw tooDeep();
    stripProtoKeys(value);
  }
  if (!isPlainObject(value)) throw badRequest('error decoding YAML: the body must be a single object');
  return value;
}

/** Nesting of YAML flow collections ([ and {), an upper bound the parser's recursion follows. */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return max;
}

export function applyServerSide(kind: string, original: object, body: string): Record<string, unknown> {
  const patch = parseApplyBody(body);
  if (typeof patch.apiVersion !== 'string' || patch.apiVersion === '') throw badRequest('apiVersion must be set in the applied object');
  if (typeof patch.kind !== 'string' || patch.kind === '') throw badRequest("Object 'Kind' is missing in the applied object");
  if (patch.kind !== kind) throw badRequest(`the applied object is a ${patch.kind}, not a ${kind}`);
  const meta = patch.metadata;
  if (!isPlainObject(meta) || typeof meta.name !== 'string' || meta.name === '') {
    throw badRequest('metadata.name must be set in the applied object');
  }
  const live = structuredClone(original) as Record<string, Json>;
  return strategicMerge(live, patch as Record<string, Json>, schemaForKind(kind));
}
