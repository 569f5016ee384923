/**
 * Cache and workqueue keys: "namespace/name" for namespaced objects, "name" for
 * cluster-scoped ones (client-go's MetaNamespaceKeyFunc).
 */
import type { KubeObject } from './api/meta.js';

export function keyFor(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function keyOf(obj: KubeObject): string {
  return keyFor(obj.metadata.namespace, obj.metadata.name ?? '');
}

/** Inverse of `keyOf`. Throws on a key with more than one '/'. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { name: key };
  if (parts.length === 2) return parts[0] ? { namespace: parts[0], name: parts[1]! } : { name: parts[1]! };
  throw new Error(`unexpected key format: ${JSON.stringify(key)}`);
}
