/**
 * Storage validation: PersistentVolume, PersistentVolumeClaim (core) and StorageClass
 * (storage.k8s.io). Volume sources mk8s can serve are hostPath, local and nfs; exactly one
 * must be set. Claims may only grow their request or be bound after creation.
 */
import {
  compareQuantity,
  isDNS1123Subdomain,
  isQualifiedName,
  parseQuantity,
  QuantityError,
  type AccessMode,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '@mk8s/shared';
import {
  arrayOf,
  child,
  deepEqual,
  forbidden,
  IMMUTABLE,
  invalid,
  invalidEach,
  isObj,
  isSet,
  key,
  notSupported,
  required,
  type FieldCause,
} from './causes.js';
import { validateLabelSelector } from './meta.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = ['hostPath', 'local', 'nfs'] as const;

function validateAccessModes(modes: unknown, field: string, detail?: string): FieldCause[] {
  const list = arrayOf<AccessMode>(modes);
  if (list.length === 0) return [required(field, detail)];
  const causes = list.filter((m) => !ACCESS_MODES.includes(m)).map((m) => notSupported(field, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) causes.push(forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
  return causes;
}

function validateStorageQuantity(value: unknown, field: string, positive: boolean): FieldCause[] {
  try {
    const q = parseQuantity(value as string);
    if (positive && compareQuantity(q, 0) <= 0) return [invalid(field, value, 'must be greater than zero')];
    if (compareQuantity(q, 0) < 0) return [invalid(field, value, 'must be greater than or equal to 0')];
    return [];
  } catch (err) {
    return [invalid(field, value, err instanceof QuantityError ? err.message : String(err))];
  }
}

function validateStorageClassName(name: unknown, field: string): FieldCause[] {
  return typeof name === 'string' && name ? invalidEach(field, name, isDNS1123Subdomain(name)) : [];
}

export function validatePersistentVolume(pv: PersistentVolume): FieldCause[] {
  const spec = pv.spec;
  if (!isObj(spec)) return [required('spec')];
  const causes = validateAccessModes(spec.accessModes, 'spec.accessModes');
  const capacity = spec.capacity;
  if (!isObj(capacity) || Object.keys(capacity).length === 0) causes.push(required('spec.capacity'));
  else {
    const extra = Object.keys(capacity).filter((k) => k !== 'storage');
    if (!('storage' in capacity) || extra.length) causes.push(notSupported('spec.capacity', capacity, ['storage']));
    if ('storage' in capacity) causes.push(...validateStorageQuantity(capacity.storage, key('spec.capacity', 'storage'), false));
  }
  const present = PV_SOURCES.filter((s) => isSet(spec[s]));
  if (present.length === 0) causes.push(required('spec', 'must specify a volume type'));
  for (const s of present.slice(1)) causes.push(forbidden(child('spec', s), 'may not specify more than 1 volume type'));
  if (isObj(spec.hostPath) && !spec.hostPath.path) causes.push(required('spec.hostPath.path'));
  if (isObj(spec.local)) {
    if (!spec.local.path) causes.push(required('spec.local.path'));
    if (!isObj(spec.nodeAffinity)) causes.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (isObj(spec.nfs)) {
    if (!spec.nfs.server) causes.push(required('spec.nfs.server'));
    if (!spec.nfs.path) causes.push(required('spec.nfs.path'));
    else if (!spec.nfs.path.startsWith('/')) causes.push(invalid('spec.nfs.path', spec.nfs.path, 'must be an absolute path'));
  }
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !RECLAIM_POLICIES.includes(policy)) causes.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  causes.push(...validateStorageClassName(spec.storageClassName, 'spec.storageClassName'));
  return causes;
}

export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldCause[] {
  const causes = validatePersistentVolume(pv);
  const source = (s: PersistentVolume['spec'] | undefined) => ({ hostPath: s?.hostPath, local: s?.local, nfs: s?.nfs });
  if (!deepEqual(source(pv.spec), source(old.spec))) {
    causes.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  return causes;
}

export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim): FieldCause[] {
  const spec = pvc.spec;
  if (!isObj(spec)) return [required('spec')];
  const causes = validateAccessModes(spec.accessModes, 'spec.accessModes', 'at least 1 access mode is required');
  const requests = isObj(spec.resources) && isObj(spec.resources.requests) ? spec.resources.requests : undefined;
  if (!requests || !isSet(requests.storage)) causes.push(required(key('spec.resources', 'storage')));
  else causes.push(...validateStorageQuantity(requests.storage, key('spec.resources', 'storage'), true));
  causes.push(...validateStorageClassName(spec.storageClassName, 'spec.storageClassName'));
  if (spec.volumeName) causes.push(...invalidEach('spec.volumeName', spec.volumeName, isDNS1123Subdomain(spec.volumeName)));
  causes.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  return causes;
}

export const PVC_UPDATE_FORBIDDEN = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

/** After creation a claim may grow its request, be bound (volumeName set once) and get a class once. */
export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldCause[] {
  const causes = validatePersistentVolumeClaim(pvc);
  const spec = pvc.spec;
  const o = old.spec;
  if (!isObj(spec) || !isObj(o)) return causes;
  const masked = (s: PersistentVolumeClaim['spec']) => ({
    ...s,
    resources: { ...s.resources, requests: undefined },
    volumeName: o.volumeName ? s.volumeName : undefined,
    storageClassName: isSet(o.storageClassName) ? s.storageClassName : undefined,
  });
  if (!deepEqual(masked(spec), masked(o))) causes.push(forbidden('spec', PVC_UPDATE_FORBIDDEN));
  const newSize = spec.resources?.requests?.storage;
  const oldSize = o.resources?.requests?.storage;
  if (o.volumeName && newSize && oldSize) {
    try {
      if (compareQuantity(newSize, oldSize) < 0) causes.push(forbidden(key('spec.resources.requests', 'storage'), 'field can not be less than previous value'));
    } catch {
      // an unparsable size was reported by validatePersistentVolumeClaim
    }
  }
  return causes;
}

export const VOLUME_BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const SC_RECLAIM = ['Delete', 'Retain'];

export function validateStorageClass(sc: StorageClass): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!sc.provisioner) causes.push(required('provisioner'));
  else causes.push(...invalidEach('provisioner', sc.provisioner, isQualifiedName(String(sc.provisioner).toLowerCase())));
  if (sc.reclaimPolicy && !SC_RECLAIM.includes(sc.reclaimPolicy)) causes.push(notSupported('reclaimPolicy', sc.reclaimPolicy, SC_RECLAIM));
  if (!sc.volumeBindingMode) causes.push(required('volumeBindingMode'));
  else if (!VOLUME_BINDING_MODES.includes(sc.volumeBindingMode)) causes.push(notSupported('volumeBindingMode', sc.volumeBindingMode, VOLUME_BINDING_MODES));
  if (isSet(sc.parameters) && !isObj(sc.parameters)) causes.push(invalid('parameters', sc.parameters, 'must be a map of strings'));
  return causes;
}

export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldCause[] {
  const causes = validateStorageClass(sc);
  if (!deepEqual(sc.parameters ?? {}, old.parameters ?? {})) causes.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) causes.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if ((sc.reclaimPolicy ?? 'Delete') !== (old.reclaimPolicy ?? 'Delete')) causes.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (old.volumeBindingMode && sc.volumeBindingMode !== old.volumeBindingMode) causes.push(invalid('volumeBindingMode', sc.volumeBindingMode, IMMUTABLE));
  return causes;
}
