/**
 * Pure helpers of the PersistentVolume binder: which StorageClass a claim asks for, whether
 * a volume can serve a claim, and the best volume for it (the smallest that fits, as
 * Kubernetes' `FindMatchingVolume`). A volume fits when it is not bound to another claim,
 * is not being released, has the claim's storage class, offers every requested access mode,
 * has at least the requested capacity, and carries labels matching the claim's selector.
 */
import {
  compareQuantity,
  selectorFromLabelSelector,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '@mk8s/shared';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

export const isDefaultClass = (sc: StorageClass): boolean =>
  sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true' || sc.metadata.annotations?.[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';

/** The default StorageClass (the newest, when several are marked), or undefined. */
export function defaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  return classes
    .filter(isDefaultClass)
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
}

/**
 * The class name a claim binds with: its own `storageClassName`; unset (not "") means the
 * default class, as the DefaultStorageClass admission plugin would have written.
 */
export function claimClass(claim: PersistentVolumeClaim, classes: readonly StorageClass[]): string {
  const own = claim.spec.storageClassName;
  if (own !== undefined && own !== null) return own;
  return defaultClass(classes)?.metadata.name ?? '';
}

export const requestedStorage = (claim: PersistentVolumeClaim): string => claim.spec.resources?.requests?.storage ?? '0';

/** Whether `pv.spec.claimRef` names this claim (and, when it records a uid, this very claim). */
export function isVolumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || (ref.namespace ?? 'default') !== (claim.metadata.namespace ?? 'default')) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** Why `pv` cannot serve `claim`, or undefined when it can. */
export function mismatch(pv: PersistentVolume, claim: PersistentVolumeClaim, className: string): string | undefined {
  if (pv.metadata.deletionTimestamp) return 'being deleted';
  if (pv.spec.claimRef && !isVolumeBoundToClaim(pv, claim)) return 'bound to another claim';
  if (pv.status?.phase === 'Released' || pv.status?.phase === 'Failed') return `phase ${pv.status.phase}`;
  if ((pv.spec.storageClassName ?? '') !== className) return 'storage class differs';
  if ((pv.spec.volumeMode ?? 'Filesystem') !== (claim.spec.volumeMode ?? 'Filesystem')) return 'volume mode differs';
  const modes = new Set(pv.spec.accessModes ?? []);
  if (!(claim.spec.accessModes ?? []).every((m) => modes.has(m))) return 'access modes not offered';
  const capacity = pv.spec.capacity?.storage ?? '0';
  if (compareQuantity(capacity, requestedStorage(claim)) < 0) return 'too small';
  if (claim.spec.selector && !selectorFromLabelSelector(claim.spec.selector).matches(pv.metadata.labels ?? {})) return 'labels do not match the selector';
  return undefined;
}

/**
 * The volume `claim` should bind to: one already pre-bound to it (claimRef) first, else the
 * smallest fitting unbound volume (ties by name, so the choice is stable).
 */
export function findBestMatch(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], className: string): PersistentVolume | undefined {
  const fitting = volumes.filter((pv) => mismatch(pv, claim, className) === undefined);
  const preBound = fitting.find((pv) => isVolumeBoundToClaim(pv, claim));
  if (preBound) return preBound;
  return fitting
    .filter((pv) => !pv.spec.claimRef)
    .sort((a, b) => compareQuantity(a.spec.capacity?.storage ?? '0', b.spec.capacity?.storage ?? '0') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}
