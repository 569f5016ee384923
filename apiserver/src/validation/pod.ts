/**
 * Pod and pod-spec validation (core `ValidatePodSpec`, `ValidatePodUpdate`). `validatePodSpec`
 * is reused for templates (ReplicationController, ReplicaSet, Deployment) with their own field
 * prefix. Expects defaults to have been applied already (restartPolicy, dnsPolicy, pull policy).
 */
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, type Pod, type PodSpec, type Toleration, type Volume } from '@mk8s/shared';
import {
  arrayOf,
  child,
  deepEqual,
  duplicate,
  forbidden,
  index,
  invalid,
  invalidEach,
  isObj,
  isSet,
  nonNegative,
  notSupported,
  required,
  type FieldCause,
} from './causes.js';
import { validateAffinity, validateTopologySpreadConstraints } from './affinity.js';
import { validateContainer, validateLocalDescendingPath, type PodContext } from './container.js';
import { validateLabels } from './meta.js';
import { validateProjectedVolume } from './projected.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
export const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
export const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const VOLUME_SOURCES = ['hostPath', 'emptyDir', 'secret', 'configMap', 'persistentVolumeClaim', 'nfs', 'downwardAPI', 'projected', 'local'] as const;
const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

function validateVolumeSource(v: Volume, p: string): FieldCause[] {
  const src = v as unknown as Record<string, unknown>;
  const present = VOLUME_SOURCES.filter((s) => isSet(src[s]));
  if (present.length === 0) return [required(p, 'must specify a volume type')];
  const causes = present.slice(1).map((s) => forbidden(child(p, s), 'may not specify more than 1 volume type'));
  if (isObj(v.hostPath) && !v.hostPath.path) causes.push(required(child(child(p, 'hostPath'), 'path')));
  if (isObj(v.configMap) && !v.configMap.name) causes.push(required(child(child(p, 'configMap'), 'name')));
  if (isObj(v.secret) && !v.secret.secretName) causes.push(required(child(child(p, 'secret'), 'secretName')));
  if (isObj(v.persistentVolumeClaim) && !v.persistentVolumeClaim.claimName) {
    causes.push(required(child(child(p, 'persistentVolumeClaim'), 'claimName')));
  }
  if (isObj(v.nfs)) {
    if (!v.nfs.server) causes.push(required(child(child(p, 'nfs'), 'server')));
    if (!v.nfs.path) causes.push(required(child(child(p, 'nfs'), 'path')));
    else if (!v.nfs.path.startsWith('/')) causes.push(invalid(child(child(p, 'nfs'), 'path'), v.nfs.path, 'must be an absolute path'));
  }
  if (isSet(v.projected)) causes.push(...validateProjectedVolume(v.projected, p));
  for (const s of ['configMap', 'secret'] as const) {
    const items = isObj(v[s]) ? arrayOf<{ key?: string; path?: string }>((v[s] as { items?: unknown }).items) : [];
    items.forEach((it, i) => {
      const ip = index(child(child(p, s), 'items'), i);
      if (!isObj(it)) return void causes.push(invalid(ip, it, 'must be an object'));
      if (!it.key) causes.push(required(child(ip, 'key')));
      if (!it.path) causes.push(required(child(ip, 'path')));
      else causes.push(...validateLocalDescendingPath(String(it.path), child(ip, 'path')));
    });
  }
  return causes;
}

function validateVolumes(volumes: Volume[] | undefined, path: string): { causes: FieldCause[]; names: Set<string> } {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  arrayOf<Volume>(volumes).forEach((v, i) => {
    const p = index(path, i);
    if (!isObj(v)) return void causes.push(invalid(p, v, 'must be an object'));
    if (!v.name) causes.push(required(child(p, 'name')));
    else {
      causes.push(...invalidEach(child(p, 'name'), v.name, isDNS1123Label(v.name)));
      if (names.has(v.name)) causes.push(duplicate(child(p, 'name'), v.name));
      names.add(v.name);
    }
    causes.push(...validateVolumeSource(v, p));
  });
  return { causes, names };
}

export function validateTolerations(tolerations: Toleration[] | undefined, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  arrayOf<Toleration>(tolerations).forEach((t, i) => {
    const p = index(path, i);
    if (!isObj(t)) return void causes.push(invalid(p, t, 'must be an object'));
    if (t.key) causes.push(...invalidEach(child(p, 'key'), t.key, isQualifiedName(t.key)));
    const op = t.operator || 'Equal';
    if (!TOLERATION_OPERATORS.includes(op)) causes.push(notSupported(child(p, 'operator'), t.operator, TOLERATION_OPERATORS));
    if (!t.key && op !== 'Exists') causes.push(invalid(child(p, 'operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (op === 'Exists' && t.value) causes.push(invalid(child(p, 'operator'), t.value, 'value must be empty when `operator` is \'Exists\''));
    if (op === 'Equal' && t.value) causes.push(...invalidEach(child(p, 'value'), t.value, isValidLabelValue(t.value)));
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) causes.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
    if (isSet(t.tolerationSeconds) && t.effect !== 'NoExecute') {
      causes.push(invalid(child(p, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
  });
  return causes;
}

export interface PodSpecOptions {
  /** pod templates may leave container images empty */
  isTemplate?: boolean;
  /** restart policies allowed (templates of controllers: only Always) */
  restartPolicies?: readonly string[];
}

export function validatePodSpec(spec: PodSpec | undefined, path: string, opts: PodSpecOptions = {}): FieldCause[] {
  if (!isObj(spec)) return [required(path)];
  const { causes, names } = validateVolumes(spec.volumes, child(path, 'volumes'));
  const ctx: PodContext = { volumes: names, names: new Set(), portNames: new Set(), hostPorts: new Set(), isTemplate: !!opts.isTemplate, hostNetwork: spec.hostNetwork === true };
  const containers = arrayOf<PodSpec['containers'][number]>(spec.containers);
  if (containers.length === 0) causes.push(required(child(path, 'containers')));
  containers.forEach((c, i) => causes.push(...validateContainer(c, index(child(path, 'containers'), i), ctx, false)));
  arrayOf<PodSpec['containers'][number]>(spec.initContainers).forEach((c, i) =>
    causes.push(...validateContainer(c, index(child(path, 'initContainers'), i), ctx, true)),
  );
  const restartPolicies = opts.restartPolicies ?? RESTART_POLICIES;
  if (!spec.restartPolicy) causes.push(required(child(path, 'restartPolicy')));
  else if (!restartPolicies.includes(spec.restartPolicy)) causes.push(notSupported(child(path, 'restartPolicy'), spec.restartPolicy, restartPolicies));
  if (!spec.dnsPolicy) causes.push(required(child(path, 'dnsPolicy')));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) causes.push(notSupported(child(path, 'dnsPolicy'), spec.dnsPolicy, DNS_POLICIES));
  causes.push(...nonNegative(child(path, 'terminationGracePeriodSeconds'), spec.terminationGracePeriodSeconds));
  if (isSet(spec.activeDeadlineSeconds)) {
    const v = spec.activeDeadlineSeconds as number;
    if (!Number.isInteger(v) || v < 1 || v > 2147483647) {
      causes.push(invalid(child(path, 'activeDeadlineSeconds'), v, 'must be between 1 and 2147483647, inclusive'));
    }
  }
  causes.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  if (spec.nodeName) causes.push(...invalidEach(child(path, 'nodeName'), spec.nodeName, isDNS1123Subdomain(spec.nodeName)));
  if (spec.hostname) causes.push(...invalidEach(child(path, 'hostname'), spec.hostname, isDNS1123Label(spec.hostname)));
  if (spec.subdomain) causes.push(...invalidEach(child(path, 'subdomain'), spec.subdomain, isDNS1123Label(spec.subdomain)));
  if (spec.serviceAccountName) {
    causes.push(...invalidEach(child(path, 'serviceAccountName'), spec.serviceAccountName, isDNS1123Subdomain(spec.serviceAccountName)));
  }
  causes.push(...validateTolerations(spec.tolerations, child(path, 'tolerations')));
  const raw = spec as PodSpec & { affinity?: unknown; topologySpreadConstraints?: unknown };
  causes.push(...validateAffinity(raw.affinity, child(path, 'affinity')));
  causes.push(...validateTopologySpreadConstraints(raw.topologySpreadConstraints, child(path, 'topologySpreadConstraints')));
  return causes;
}

export function validatePod(pod: Pod): FieldCause[] {
  return validatePodSpec(pod.spec, 'spec');
}

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Pod spec is immutable apart from images, a shorter deadline and added tolerations. */
export function validatePodUpdate(pod: Pod, old: Pod): FieldCause[] {
  const causes = validatePod(pod);
  const spec = pod.spec;
  const oldSpec = old.spec;
  if (!isObj(spec) || !isObj(oldSpec)) return causes;
  // Tolerations: the old ones must all still be there (additions only).
  const tolerations = arrayOf<Toleration>(spec.tolerations);
  arrayOf<Toleration>(oldSpec.tolerations).forEach((t) => {
    if (!tolerations.some((n) => deepEqual({ ...n, tolerationSeconds: undefined }, { ...t, tolerationSeconds: undefined }))) {
      causes.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
    }
  });
  const oldDeadline = oldSpec.activeDeadlineSeconds;
  if (isSet(oldDeadline)) {
    if (!isSet(spec.activeDeadlineSeconds)) causes.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
    else if ((spec.activeDeadlineSeconds as number) > (oldDeadline as number)) {
      causes.push(invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be less than or equal to previous value'));
    }
  }
  // Compare the rest with the mutable fields masked out. nodeName may go from unset to set:
  // that is how the binding subresource (which writes through the ordinary update path) binds.
  const mask = (s: PodSpec, images: PodSpec): PodSpec => ({
    ...s,
    containers: arrayOf<PodSpec['containers'][number]>(s.containers).map((c, i) => ({ ...c, image: images.containers?.[i]?.image })),
    initContainers: s.initContainers?.map((c, i) => ({ ...c, image: images.initContainers?.[i]?.image })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
    nodeName: oldSpec.nodeName ? s.nodeName : undefined,
  });
  if (!deepEqual(mask(spec, oldSpec), mask(oldSpec, oldSpec))) causes.push(forbidden('spec', POD_UPDATE_FORBIDDEN));
  return causes;
}

/** Status writes (kubelet) may not move a pod to another node or invent a phase. */
export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldCause[] {
  const causes: FieldCause[] = [];
  const phase = pod.status?.phase;
  if (phase && !PHASES.includes(phase)) causes.push(notSupported('status.phase', phase, PHASES));
  const oldNode = old.spec?.nodeName;
  if (oldNode && pod.spec?.nodeName !== oldNode) causes.push(forbidden('status.nodeName', 'may not be changed directly'));
  return causes;
}
