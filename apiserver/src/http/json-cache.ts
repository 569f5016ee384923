/**
 * Serialized JSON of stored objects, computed once per object. Objects handed out by the
 * storage layer (watch cache, etcd reads) are never mutated once built - a change makes a new
 * object - so an object's JSON can be kept beside it for as long as the object lives: every
 * watcher of an event and every list that includes the object reuse one serialization.
 */
import type { KubeList, KubeObject } from '@mk8s/shared';

const objectJson = new WeakMap<KubeObject, string>();

export function jsonOf(obj: KubeObject): string {
  let s = objectJson.get(obj);
  if (s === undefined) {
    s = JSON.stringify(obj);
    objectJson.set(obj, s);
  }
  return s;
}

/** A list's JSON, its items from the per-object cache (same text as JSON.stringify(list)). */
export function listJson(list: KubeList): string {
  const { items, ...rest } = list;
  const head = JSON.stringify(rest);
  const itemsJson = `"items":[${items.map(jsonOf).join(',')}]`;
  return head === '{}' ? `{${itemsJson}}` : `${head.slice(0, -1)},${itemsJson}}`;
}
