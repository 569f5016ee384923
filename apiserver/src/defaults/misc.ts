/**
 * Defaulting for Namespace, Secret, PersistentVolume, PersistentVolumeClaim and StorageClass.
 * Secrets: `stringData` is write-only; its entries are base64-encoded into `data` (winning
 * over keys already there) and the field removed, as Kubernetes does. Mutates in place.
 */
import type { Namespace, PersistentVolume, PersistentVolumeClaim, Secret, StorageClass } from '@mk8s/shared';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function defaultNamespace(ns: Namespace): void {
  ns.spec = isObj(ns.spec) ? ns.spec : {};
  ns.spec.finalizers ??= ['kubernetes'];
  ns.status = isObj(ns.status) ? ns.status : {};
  ns.status.phase ??= 'Active';
  if (ns.metadata?.name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns.metadata.name };
}

export function defaultSecret(secret: Secret): void {
  secret.type ??= 'Opaque';
  if (isObj(secret.stringData)) {
    const data: Record<string, string> = isObj(secret.data) ? secret.data : {};
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    secret.data = data;
  }
  delete secret.stringData;
}

export function defaultPersistentVolume(pv: PersistentVolume): void {
  if (!isObj(pv.spec)) return;
  pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
  pv.spec.volumeMode ??= 'Filesystem';
  pv.status = isObj(pv.status) ? pv.status : {};
  pv.status.phase ??= 'Pending';
}

export function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): void {
  if (!isObj(pvc.spec)) return;
  pvc.spec.volumeMode ??= 'Filesystem';
  pvc.status = isObj(pvc.status) ? pvc.status : {};
  pvc.status.phase ??= 'Pending';
}

export function defaultStorageClass(sc: StorageClass): void {
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}
