/**
 * Validation for the small core kinds: Namespace, Node, Event, ConfigMap, Secret and Lease.
 * Secrets arrive here with `stringData` already folded into base64 `data` (see defaults).
 * ConfigMaps and Secrets are limited to 1 MiB of data, as in Kubernetes.
 */
import {
  isConfigMapKey,
  isQualifiedName,
  isValidCIDR,
  isValidLabelValue,
  parseQuantity,
  QuantityError,
  type ConfigMap,
  type Event,
  type Lease,
  type Namespace,
  type Node,
  type Secret,
  type Taint,
} from '@mk8s/shared';
import {
  arrayOf,
  child,
  deepEqual,
  duplicate,
  forbidden,
  IMMUTABLE,
  index,
  invalid,
  invalidEach,
  isObj,
  isObject,
  isSet,
  key,
  nonNegative,
  notSupported,
  required,
  tooLong,
  type FieldCause,
} from './causes.js';
import { TAINT_EFFECTS } from './pod.js';

export const MAX_DATA_SIZE = 1024 * 1024;
const NAMESPACE_PHASES = ['Active', 'Terminating'];

export function validateNamespace(ns: Namespace): FieldCause[] {
  const causes: FieldCause[] = [];
  arrayOf<unknown>(ns.spec?.finalizers).forEach((f) => {
    const name = typeof f === 'string' ? f : '';
    const errs = isQualifiedName(name);
    causes.push(...invalidEach('spec.finalizers', f, errs));
    if (!errs.length && !name.includes('/') && name !== 'kubernetes') {
      causes.push(invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return causes;
}

export function validateNamespaceStatusUpdate(ns: Namespace): FieldCause[] {
  const phase = ns.status?.phase;
  return phase && !NAMESPACE_PHASES.includes(phase) ? [notSupported('status.phase', phase, NAMESPACE_PHASES)] : [];
}

function validateTaints(taints: Taint[] | undefined, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  arrayOf<Taint>(taints).forEach((t, i) => {
    const p = index(path, i);
    if (!isObj(t)) return void causes.push(invalid(p, t, 'must be an object'));
    if (!t.key) causes.push(required(child(p, 'key')));
    else causes.push(...invalidEach(child(p, 'key'), t.key, isQualifiedName(t.key)));
    if (t.value) causes.push(...invalidEach(child(p, 'value'), t.value, isValidLabelValue(t.value)));
    if (!t.effect) causes.push(required(child(p, 'effect')));
    else if (!TAINT_EFFECTS.includes(t.effect)) causes.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
    const k = `${t.key}:${t.effect}`;
    if (seen.has(k)) causes.push(duplicate(p, k));
    seen.add(k);
  });
  return causes;
}

function validateResourceList(list: unknown, path: string): FieldCause[] {
  if (!isSet(list)) return [];
  if (!isObject(list)) return [invalid(path, list, 'must be a map of resource names to quantities')];
  const causes: FieldCause[] = [];
  for (const [name, value] of Object.entries(list)) {
    try {
      parseQuantity(value as string);
    } catch (err) {
      causes.push(invalid(key(path, name), value, err instanceof QuantityError ? err.message : String(err)));
    }
  }
  return causes;
}

function validateNodeStatus(node: Node): FieldCause[] {
  return [
    ...validateResourceList(node.status?.capacity, 'status.capacity'),
    ...validateResourceList(node.status?.allocatable, 'status.allocatable'),
  ];
}

export function validateNode(node: Node): FieldCause[] {
  const spec = node.spec ?? {};
  const causes: FieldCause[] = [];
  if (spec.podCIDR) causes.push(...invalidEach('spec.podCIDR', spec.podCIDR, isValidCIDR(spec.podCIDR)));
  arrayOf<string>(spec.podCIDRs).forEach((c, i) => causes.push(...invalidEach(index('spec.podCIDRs', i), c, isValidCIDR(c))));
  causes.push(...validateTaints(spec.taints, 'spec.taints'));
  causes.push(...validateNodeStatus(node));
  return causes;
}

export function validateNodeUpdate(node: Node, old: Node): FieldCause[] {
  const causes = validateNode(node);
  const oldCIDR = old.spec?.podCIDR;
  if (oldCIDR && node.spec?.podCIDR !== oldCIDR) {
    causes.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  return causes;
}

export const validateNodeStatusUpdate = (node: Node): FieldCause[] => validateNodeStatus(node);

export function validateEvent(ev: Event): FieldCause[] {
  const ns = ev.involvedObject?.namespace;
  if (ns && ns !== ev.metadata?.namespace) return [invalid('involvedObject.namespace', ns, 'does not match event.namespace')];
  return [];
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function validateKeys(map: unknown, path: string): FieldCause[] {
  if (!isSet(map)) return [];
  if (!isObject(map)) return [invalid(path, map, 'must be a map of strings')];
  const causes: FieldCause[] = [];
  for (const [k, v] of Object.entries(map)) {
    causes.push(...invalidEach(key(path, k), k, isConfigMapKey(k)));
    if (typeof v !== 'string') causes.push(invalid(key(path, k), v, 'must be a string'));
  }
  return causes;
}

export function validateConfigMap(cm: ConfigMap): FieldCause[] {
  const causes = [...validateKeys(cm.data, 'data'), ...validateKeys(cm.binaryData, 'binaryData')];
  let size = 0;
  for (const v of Object.values(isObj(cm.data) ? cm.data : {})) size += typeof v === 'string' ? byteLength(v) : 0;
  for (const [k, v] of Object.entries(isObj(cm.binaryData) ? cm.binaryData : {})) {
    if (isObj(cm.data) && k in cm.data) causes.push(invalid(key('binaryData', k), k, 'duplicate of key present in data'));
    if (typeof v === 'string') {
      if (!BASE64_RE.test(v)) causes.push(invalid(key('binaryData', k), '<binary data>', 'must be valid base64'));
      size += Buffer.from(v, 'base64').length;
    }
  }
  if (size > MAX_DATA_SIZE) causes.push(tooLong('', MAX_DATA_SIZE));
  return causes;
}

function validateImmutableData(obj: ConfigMap | Secret, old: ConfigMap | Secret): FieldCause[] {
  if (old.immutable !== true) return [];
  const causes: FieldCause[] = [];
  const detail = 'field is immutable when `immutable` is set';
  if (obj.immutable !== true) causes.push(forbidden('immutable', detail));
  if (!deepEqual(obj.data ?? {}, old.data ?? {})) causes.push(forbidden('data', detail));
  const bin = (o: ConfigMap | Secret) => ('binaryData' in o ? o.binaryData : undefined) ?? {};
  if (!deepEqual(bin(obj), bin(old))) causes.push(forbidden('binaryData', detail));
  return causes;
}

export const validateConfigMapUpdate = (cm: ConfigMap, old: ConfigMap): FieldCause[] => [
  ...validateConfigMap(cm),
  ...validateImmutableData(cm, old),
];

/** Keys a secret of each built-in type must carry (any one of a group suffices). */
const REQUIRED_SECRET_KEYS: Record<string, string[][]> = {
  'kubernetes.io/tls': [['tls.crt'], ['tls.key']],
  'kubernetes.io/dockerconfigjson': [['.dockerconfigjson']],
  'kubernetes.io/dockercfg': [['.dockercfg']],
  'kubernetes.io/ssh-auth': [['ssh-privatekey']],
  'kubernetes.io/basic-auth': [['username', 'password']],
};

export function validateSecret(secret: Secret): FieldCause[] {
  const causes = validateKeys(secret.data, 'data');
  const data = isObj(secret.data) ? secret.data : {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    if (!BASE64_RE.test(v)) causes.push(invalid(key('data', k), '<secret contents redacted>', 'illegal base64 data'));
    else size += Buffer.from(v, 'base64').length;
  }
  if (size > MAX_DATA_SIZE) causes.push(tooLong('data', MAX_DATA_SIZE));
  const type = secret.type ?? 'Opaque';
  for (const group of REQUIRED_SECRET_KEYS[type] ?? []) {
    if (!group.some((k) => k in data)) causes.push(...group.map((k) => required(key('data', k))));
  }
  if (type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    causes.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name')));
  }
  if (isSet(secret.stringData)) causes.push(...validateKeys(secret.stringData, 'stringData'));
  return causes;
}

export function validateSecretUpdate(secret: Secret, old: Secret): FieldCause[] {
  const causes = [...validateSecret(secret), ...validateImmutableData(secret, old)];
  if ((secret.type ?? 'Opaque') !== (old.type ?? 'Opaque')) causes.push(invalid('type', secret.type ?? '', IMMUTABLE));
  return causes;
}

export function validateLease(lease: Lease): FieldCause[] {
  const spec = lease.spec ?? {};
  const causes = nonNegative('spec.leaseTransitions', spec.leaseTransitions);
  if (isSet(spec.leaseDurationSeconds) && !((spec.leaseDurationSeconds as number) > 0)) {
    causes.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.holderIdentity !== undefined && spec.holderIdentity !== null && typeof spec.holderIdentity !== 'string') {
    causes.push(invalid('spec.holderIdentity', spec.holderIdentity, 'must be a string'));
  }
  return causes;
}
