/**
 * The pod-template-hash: a stable, name-safe hash of a deployment's pod template (plus its
 * collisionCount, so a collision with a foreign ReplicaSet of the same name is resolved by
 * counting up). FNV-1a 32-bit over a canonical JSON form (object keys sorted, undefined dropped),
 * the decimal digits mapped onto Kubernetes' safe alphabet (rand.SafeEncodeString), so the same
 * template always gives the same ReplicaSet name, across restarts and replicas. Not Kubernetes'
 * exact hash (that one hashes Go's printed form), but the same shape and properties.
 */
import type { PodTemplateSpec } from '@mk8s/shared';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted and undefined members dropped. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE[s.charCodeAt(i) % SAFE.length]!;
  return out;
}

export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncode(String(h));
}

/** The template without the pod-template-hash label, with empty label/annotation maps dropped. */
function normalise(t: PodTemplateSpec): unknown {
  const copy = structuredClone(t) as PodTemplateSpec;
  const m = { ...copy.metadata };
  if (m.labels) {
    const { ['pod-template-hash']: _drop, ...rest } = m.labels;
    m.labels = rest;
    if (Object.keys(rest).length === 0) delete m.labels;
  }
  if (m.annotations && Object.keys(m.annotations).length === 0) delete m.annotations;
  delete m.creationTimestamp;
  copy.metadata = m;
  return copy;
}

export function templatesEqualIgnoringHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return canonicalJson(normalise(a)) === canonicalJson(normalise(b));
}
