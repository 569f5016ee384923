/**
 * Pure helpers behind FakeClient: RFC 7386 merge patch, the field-selector fields of an
 * object, generateName suffixes and deep copies. Kept apart so fake-client.ts stays about
 * the API semantics.
 */
import type { KubeObject } from '../api/meta.js';
import type { ResourceType } from '../api/resources.js';

type Json = unknown;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (structuredClone(v) as T);
}

const GENERATE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** `base` cut to 58 characters plus 5 random characters, as the apiserver does. */
export function generateName(base: string, random: () => number = Math.random): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += GENERATE_CHARS[Math.floor(random() * GENERATE_CHARS.length)];
  return base.slice(0, 58) + suffix;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** The field-selector fields the apiserver supports for an object of `type`. */
export function objectFields(type: ResourceType, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': str(obj.metadata.name) };
  if (type.namespaced) fields['metadata.namespace'] = str(obj.metadata.namespace);
  const o = obj as unknown as Record<string, Record<string, unknown> | undefined>;
  switch (type.plural) {
    case 'pods':
      fields['spec.nodeName'] = str(o.spec?.nodeName);
      fields['spec.restartPolicy'] = str(o.spec?.restartPolicy);
      fields['spec.schedulerName'] = str(o.spec?.schedulerName);
      fields['spec.serviceAccountName'] = str(o.spec?.serviceAccountName);
      fields['status.phase'] = str(o.status?.phase);
      fields['status.podIP'] = str(o.status?.podIP);
      break;
    case 'events': {
      const io = (o.involvedObject ?? {}) as Record<string, unknown>;
      for (const f of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) fields[`involvedObject.${f}`] = str(io[f]);
      fields.reason = str(o.reason);
      fields.type = str(o.type);
      fields.source = str((o.source as Record<string, unknown> | undefined)?.component);
      break;
    }
    case 'secrets':
      fields.type = str(o.type);
      break;
    case 'nodes':
      fields['spec.unschedulable'] = str(o.spec?.unschedulable ?? false);
      break;
    case 'namespaces':
      fields['status.phase'] = str(o.status?.phase);
      break;
    case 'replicationcontrollers':
    case 'replicasets':
      fields['status.replicas'] = str(o.status?.replicas ?? 0);
      break;
  }
  return fields;
}

/** JSON equality for plain API objects (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
