/**
 * Object-metadata rules shared by every kind: what the server sets on create, what an update
 * may not change, when `generation` moves, and how `generateName` becomes a name.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ApiError, type KubeObject, type StatusCause } from '@mk8s/shared';
import type { ResourceDef } from './resource-def.js';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' generateName: the base cut to 58 characters plus 5 random characters. */
export function generateName(base: string): string {
  const bytes = randomBytes(5);
  let suffix = '';
  for (const b of bytes) suffix += NAME_CHARS[b % NAME_CHARS.length];
  return base.slice(0, 58) + suffix;
}

let lastSecond = -1;
let lastStamp = '';

/** The current time as Kubernetes writes timestamps (RFC 3339, whole seconds, UTC). */
export function now(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastStamp = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastStamp;
}

/** Server-set metadata on create; status per the kind's rule. Mutates `obj`. */
export function prepareForCreate(def: ResourceDef, obj: KubeObject, namespace: string | undefined): void {
  const m = obj.metadata;
  m.uid = randomUUID();
  m.creationTimestamp = now();
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.managedFields;
  if (def.namespaced) m.namespace = namespace;
  else delete m.namespace;
  if ('spec' in obj) m.generation = 1;
  else delete m.generation;
  obj.apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  obj.kind = def.kind;
  const rule = def.statusOnCreate ?? 'keep';
  const o = obj as KubeObject & { status?: unknown };
  if (rule === 'clear') delete o.status;
  else if (typeof rule === 'function') o.status = rule(obj);
}

/**
 * The object an update stores: the submitted one with what an update may not set carried
 * over from the stored object. A status update changes status only.
 */
export function prepareForUpdate(def: ResourceDef, obj: KubeObject, old: KubeObject, subresource?: string): KubeObject {
  type WithParts = KubeObject & { status?: unknown; spec?: unknown };
  const o = obj as WithParts;
  const oo = old as WithParts;
  if (subresource === 'status') {
    const next = structuredClone(oo);
    next.metadata.resourceVersion = obj.metadata.resourceVersion;
    if (o.status === undefined) delete next.status;
    else next.status = o.status;
    return next;
  }
  const next: WithParts = { ...o, metadata: { ...o.metadata } };
  const m = next.metadata;
  const om = old.metadata;
  m.uid = om.uid;
  m.creationTimestamp = om.creationTimestamp;
  m.namespace = om.namespace;
  m.name = om.name;
  if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (om.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  delete m.managedFields;
  next.apiVersion = old.apiVersion;
  next.kind = old.kind;
  // A binding sets spec.nodeName and the PodScheduled condition in one write.
  if (def.hasStatus && subresource !== 'binding') {
    if (oo.status === undefined) delete next.status;
    else next.status = structuredClone(oo.status);
  }
  return next;
}

/** `generation` moves only when `spec` changes (call after defaulting). Mutates `next`. */
export function updateGeneration(next: KubeObject, old: KubeObject): void {
  const gen = old.metadata.generation;
  if (gen === undefined) {
    delete next.metadata.generation;
    return;
  }
  const spec = (o: KubeObject): unknown => JSON.parse(JSON.stringify((o as KubeObject & { spec?: unknown }).spec ?? null));
  next.metadata.generation = isDeepStrictEqual(spec(next), spec(old)) ? gen : gen + 1;
}

/** Checks an update does not touch fields that are immutable for every kind. */
export function immutableMetaCauses(obj: KubeObject, old: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const finalizersBefore = new Set(old.metadata.finalizers ?? []);
  if (old.metadata.deletionTimestamp) {
    for (const f of obj.metadata.finalizers ?? []) {
      if (!finalizersBefore.has(f)) {
        causes.push({
          reason: 'FieldValueForbidden',
          field: 'metadata.finalizers',
          message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"${f}"}`,
        });
      }
    }
  }
  return causes;
}

/** True when two objects differ in anything but resourceVersion. */
export function changed(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } });
  return !isDeepStrictEqual(JSON.parse(JSON.stringify(strip(a))), JSON.parse(JSON.stringify(strip(b))));
}

/** Checks the kind, apiVersion, name and namespace in a body against the request. */
export function checkBodyIdentity(def: ResourceDef, obj: unknown, namespace: string | undefined, name?: string): KubeObject {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new ApiError(400, 'BadRequest', 'the request body must be a JSON object');
  }
  const o = obj as KubeObject;
  if (o.metadata === undefined || o.metadata === null) o.metadata = {};
  if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) throw new ApiError(400, 'BadRequest', 'metadata must be an object');
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  if (o.kind !== undefined && o.kind !== def.kind) {
    throw new ApiError(400, 'BadRequest', `the object provided is unrecognized (kind ${o.kind} at ${apiVersion} ${def.plural})`);
  }
  if (o.apiVersion !== undefined && o.apiVersion !== apiVersion) {
    throw new ApiError(400, 'BadRequest', `the API version in the data (${o.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  if (def.namespaced && o.metadata.namespace && namespace && o.metadata.namespace !== namespace) {
    throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
  }
  if (name !== undefined && o.metadata.name !== undefined && o.metadata.name !== name) {
    throw new ApiError(400, 'BadRequest', `the name of the object (${o.metadata.name}) does not match the name on the URL (${name})`);
  }
  return o;
}
