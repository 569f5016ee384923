/**
 * Kubernetes strategic merge patch (server side: parallel-list merging on, unmatched nulls
 * ignored), re-implemented from the semantics of k8s.io/apimachinery/pkg/util/strategicpatch:
 * - maps merge recursively; `null` deletes a key; `$patch: replace|delete` on a map;
 * - lists tagged `patchStrategy: merge` merge by their `patchMergeKey` (or as a set for scalars),
 *   with `$patch: delete|replace` items; untagged lists are replaced;
 * - `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`.
 * `strategicMerge` works on private copies: callers pass a clone of the live object and a freshly
 * parsed patch; both may be mutated.
 */
import { badRequest, patchNotApplicable } from './errors.js';
import { isPlainObject } from './json-body.js';
import { lookupField, type PatchSchema } from './schema.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonMap = { [k: string]: Json };

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList';

const ERR_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_SET_ORDER = 'invalid patch format of setElementOrder list';

function typeName(v: Json | undefined): string {
  if (v === null || v === undefined) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

export function strategicMerge(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  return mergeMap(original, patch, schema);
}

function mergeMap(original: JsonMap | null, patch: JsonMap, schema: PatchSchema): JsonMap {
  if (DIRECTIVE in patch) {
    const d = patch[DIRECTIVE];
    if (d === 'replace') {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (d === 'delete') return {};
    throw badRequest(`unknown patch type: ${String(d)} in map: ${JSON.stringify(patch)}`);
  }
  const orig: JsonMap = original ?? {};
  applyRetainKeys(orig, patch);
  mergeSetElementOrder(orig, patch, schema);

  for (const rawKey of Object.keys(patch)) {
    if (rawKey === '__proto__') continue; // never walk into Object.prototype
    const patchV = patch[rawKey] as Json;
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_PRIMITIVE)) {
      key = extractKey(rawKey, DELETE_PRIMITIVE, ERR_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete orig[key];
      continue;
    }
    if (!(key in orig) || typeName(orig[key]) !== typeName(patchV)) {
      if (!isDeleteList) setOrDrop(orig, key, patchV);
      continue;
    }
    const meta = lookupField(schema, key);
    const origV = orig[key] as Json;
    if (isPlainObject(origV) && isPlainObject(patchV)) {
      orig[key] = meta.strategy === 'replace' ? patchV : mergeMap(origV as JsonMap, patchV as JsonMap, meta.schema);
    } else if (Array.isArray(origV) && Array.isArray(patchV)) {
      orig[key] =
        meta.strategy === 'merge' || isDeleteList ? mergeSlice(origV, patchV, meta.schema, meta.mergeKey, isDeleteList) : patchV;
    } else {
      setOrDrop(orig, key, patchV);
    }
  }
  return orig;
}

/** Takes a patch value where there is nothing to merge with: nulls and directives dropped. */
function setOrDrop(orig: JsonMap, key: string, v: Json): void {
  discardNulls(v);
  const [clean, keep] = removeDirectives(v);
  if (keep) orig[key] = clean;
  else delete orig[key];
}

function extractKey(key: string, prefix: string, errMessage: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badRequest(errMessage);
  return key.slice(slash + 1);
}

function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!(RETAIN_KEYS in patch)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest(ERR_RETAIN_KEYS);
  const keep = new Set(list.map((v) => String(v)));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (!keep.has(k)) throw badRequest(ERR_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function mergeSetElementOrder(original: JsonMap, patch: JsonMap, schema: PatchSchema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badRequest(ERR_SET_ORDER);
    const listKey = extractKey(key, SET_ORDER, ERR_SET_ORDER);
    const origList = original[listKey];
    const patchList = patch[listKey];
    const foundOrig = listKey in original && origList !== undefined;
    const foundPatch = listKey in patch && patchList !== undefined;
    if (foundOrig && !Array.isArray(origList)) throw badRequest(`expected a list at ${listKey}`);
    if (foundPatch && !Array.isArray(patchList)) throw badRequest(ERR_SET_ORDER);
    const meta = lookupField(schema, listKey);
    const origArr = (origList as Json[] | undefined) ?? [];
    const patchArr = (patchList as Json[] | undefined) ?? [];
    validateWithSetOrder(patchArr, order, meta.mergeKey);

    let merged: Json[];
    if (foundOrig && !foundPatch) merged = origArr;
    else if (!foundOrig && foundPatch) {
      const [clean, keep] = removeDirectives(patchArr);
      if (!keep) continue;
      merged = clean as Json[];
    } else if (foundOrig && foundPatch) {
      merged = meta.strategy === 'merge' ? mergeSlice(origArr, patchArr, meta.schema, meta.mergeKey, false) : patchArr;
    } else continue;

    const [inOrder, serverOnly] = partition(merged, order, meta.mergeKey);
    original[listKey] = normalizeElementOrder(inOrder, serverOnly, order, origArr, meta.mergeKey);
    delete patch[listKey];
  }
}

/** The patch list's items (deletions aside) must appear in the $setElementOrder list, in order. */
function validateWithSetOrder(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isPlainObject(v) && v[DIRECTIVE] === 'delete')) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p] as Json;
    if (isPlainObject(item) && DIRECTIVE in item) {
      p++;
      continue;
    }
    if (sameKey(item, order[o] as Json, mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw badRequest(`The order in patch list:\n${JSON.stringify(patchList)}\n doesn't match ${SET_ORDER} list:\n${JSON.stringify(order)}\n`);
  }
}

function keyOf(item: Json, mergeKey: string): Json | undefined {
  if (!mergeKey) return item;
  if (!isPlainObject(item)) throw badRequest(`expected a map in a list merged by ${mergeKey}, got ${JSON.stringify(item)}`);
  if (!(mergeKey in item)) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
  return item[mergeKey];
}

function sameKey(a: Json, b: Json, mergeKey: string): boolean {
  return keyOf(a, mergeKey) === keyOf(b, mergeKey);
}

/** Merge-key value (or the scalar itself) of a list item. */
function idOf(item: Json, mergeKey: string): unknown {
  return mergeKey ? (isPlainObject(item) ? item[mergeKey] : undefined) : item;
}

/** First position of each id in a list: O(1) lookups so huge hostile lists stay linear. */
function positions(list: Json[], mergeKey: string): Map<unknown, number> {
  const m = new Map<unknown, number>();
  list.forEach((v, i) => {
    const id = idOf(v, mergeKey);
    if (!m.has(id)) m.set(id, i);
  });
  return m;
}

/** Splits `items` into those present in `by` (by merge key, or by value for scalars) and the rest. */
function partition(items: Json[], by: Json[], mergeKey: string): [Json[], Json[]] {
  const inBy: Json[] = [];
  const rest: Json[] = [];
  const pos = positions(by, mergeKey);
  for (const v of items) {
    if (mergeKey) keyOf(v, mergeKey);
    (pos.has(idOf(v, mergeKey)) ? inBy : rest).push(v);
  }
  return [inBy, rest];
}

function elementKind(...lists: Json[][]): 'map' | 'scalar' {
  let kind: string | undefined;
  for (const l of lists) {
    for (const v of l) {
      const t = typeName(v);
      if (kind === undefined) {
        if (t === 'array') throw patchNotApplicable('lists of lists are not supported');
        kind = t;
      } else if (kind !== t) {
        throw badRequest(`list element types are not identical: ${JSON.stringify(lists)}`);
      }
    }
  }
  return kind === 'object' ? 'map' : 'scalar';
}

function mergeSlice(original: Json[], patch: Json[], schema: PatchSchema, mergeKey: string, isDeleteList: boolean): Json[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  let merged: Json[];
  let orig = original;
  let pat = patch;
  if (kind === 'scalar') {
    if (isDeleteList) {
      const drop = new Set(patch);
      return original.filter((v) => !drop.has(v));
    }
    merged = [...new Set([...original, ...patch])];
    mergeKey = '';
  } else {
    if (!mergeKey) throw badRequest(`cannot merge lists without merge key for ${schema ?? 'this list'}`);
    [orig, pat] = mergeSpecialElements(original, patch, mergeKey);
    merged = mergePlainElements([...orig], pat, mergeKey, schema);
  }
  const [patchItems, serverOnly] = partition(merged, pat, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, pat, orig, mergeKey);
}

/** Handles `$patch` items of a list of maps: delete by merge key, replace the whole list. */
function mergeSpecialElements(original: Json[], patch: Json[], mergeKey: string): [Json[], Json[]] {
  const plain: Json[] = [];
  let replace = false;
  const deleted = new Set<Json>();
  for (const v of patch) {
    const item = v as JsonMap;
    if (!(DIRECTIVE in item)) {
      plain.push(v);
      continue;
    }
    const d = item[DIRECTIVE];
    if (d === 'delete') {
      if (!(mergeKey in item)) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
      deleted.add(item[mergeKey] as Json);
    } else if (d === 'replace') {
      replace = true;
    } else if (d === 'merge') {
      throw badRequest('merging lists cannot yet be specified in the patch');
    } else {
      throw badRequest(`unknown patch type: ${String(d)} in map: ${JSON.stringify(item)}`);
    }
  }
  if (replace) return [plain, []];
  const orig = deleted.size ? original.filter((o) => !(isPlainObject(o) && deleted.has(o[mergeKey] as Json))) : original;
  return [orig, plain];
}

function mergePlainElements(original: Json[], patch: Json[], mergeKey: string, schema: PatchSchema): Json[] {
  const pos = positions(original, mergeKey);
  for (const v of patch) {
    const item = v as JsonMap;
    const key = keyOf(item, mergeKey);
    const i = pos.get(key);
    if (i !== undefined) original[i] = mergeMap(original[i] as JsonMap, item, schema);
    else {
      const [clean, keep] = removeDirectives(discardNullsAnd(item));
      if (keep) {
        pos.set(key, original.length);
        original.push(clean);
      }
    }
  }
  return original;
}

function discardNullsAnd(v: Json): Json {
  discardNulls(v);
  return v;
}

/** Patch items in patch order, server-only items in live order, interleaved by the live order. */
function normalizeElementOrder(patchItems: Json[], serverOnly: Json[], patchOrder: Json[], serverOrder: Json[], mergeKey: string): Json[] {
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const right = sortByOrder(patchItems, patchOrder, mergeKey);
  const serverPos = positions(serverOrder, mergeKey);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++] as Json);
    else if (j >= right.length) out.push(left[i++] as Json);
    else {
      const li = serverPos.get(idOf(left[i] as Json, mergeKey));
      const ri = serverPos.get(idOf(right[j] as Json, mergeKey));
      if (li !== undefined && ri !== undefined && li < ri) out.push(left[i++] as Json);
      else out.push(right[j++] as Json);
    }
  }
  return out;
}

function sortByOrder(items: Json[], order: Json[], mergeKey: string): Json[] {
  const deletes = mergeKey ? items.filter((v) => isPlainObject(v) && v[DIRECTIVE] === 'delete') : [];
  const rest = mergeKey ? items.filter((v) => !(isPlainObject(v) && v[DIRECTIVE] === 'delete')) : [...items];
  const orderPos = positions(order, mergeKey);
  const pos = (v: Json): number => orderPos.get(idOf(v, mergeKey)) ?? Number.MAX_SAFE_INTEGER;
  return [...rest.map((v, idx) => ({ v, idx, p: pos(v) })).sort((a, b) => a.p - b.p || a.idx - b.idx).map((e) => e.v), ...deletes];
}

function discardNulls(v: Json): void {
  if (Array.isArray(v)) v.forEach(discardNulls);
  else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNulls(x);
    }
  }
}

/**
 * Cleans a value taken verbatim (nothing live to merge with): maps carrying `$patch` are dropped
 * and other `$`-keys (`$setElementOrder/..`, `$retainKeys`) removed, as typed decoding does in
 * Kubernetes.
 */
function removeDirectives(v: Json): [Json, boolean] {
  if (Array.isArray(v)) {
    const out: Json[] = [];
    for (const x of v) {
      const [c, keep] = removeDirectives(x);
      if (keep) out.push(c);
    }
    return [out, true];
  }
  if (isPlainObject(v)) {
    if (DIRECTIVE in v) return [null, false];
    for (const k of Object.keys(v)) {
      if (k.startsWith('$')) {
        delete v[k];
        continue;
      }
      const [c, keep] = removeDirectives(v[k] as Json);
      if (keep) v[k] = c;
      else delete v[k];
    }
  }
  return [v, true];
}
