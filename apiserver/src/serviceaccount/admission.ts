/**
 * The ServiceAccount admission plugin for pod creates (on only with a signing key):
 * an empty spec.serviceAccountName becomes `default` (spec.serviceAccount mirrors it); the
 * service account must exist (403 "error looking up service account ..."); its
 * imagePullSecrets are copied when the pod has none; and unless the pod or the account opts
 * out (automountServiceAccountToken: false) every container and init container without its
 * own mount at /var/run/secrets/kubernetes.io/serviceaccount gets a read-only mount of a
 * `kube-api-access-<5 chars>` projected volume: token (3607 s), the kube-root-ca.crt
 * ConfigMap's ca.crt, and the pod's namespace. Mirror pods are left alone (and may not
 * name a service account). `admitPod` is pure given the service account and the suffix.
 */
import { randomInt } from 'node:crypto';
import { ApiError, DEFAULT_SERVICE_ACCOUNT, ROOT_CA_CONFIGMAP, SERVICE_ACCOUNT_MOUNT_PATH, type Container, type KubeObject, type Pod, type PodSpec, type ServiceAccount, type Volume } from '@mk8s/shared';
import type { WriteContext } from '../registry/resource-def.js';

export const API_ACCESS_VOLUME_PREFIX = 'kube-api-access-';
/** the kubelet-facing token lifetime Kubernetes uses for kube-api-access volumes */
export const API_ACCESS_TOKEN_SECONDS = 3607;
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters the way Kubernetes' name generator picks them. */
export function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[randomInt(NAME_CHARS.length)];
  return s;
}

export function apiAccessVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: API_ACCESS_TOKEN_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

export function shouldAutomount(pod: Pod, sa: ServiceAccount): boolean {
  if (typeof pod.spec.automountServiceAccountToken === 'boolean') return pod.spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

export const isMirrorPod = (pod: Pod): boolean => !!pod.metadata.annotations?.[MIRROR_ANNOTATION];

/** Sets the default service account name (both spellings). */
export function defaultServiceAccountName(pod: Pod): string {
  const name = pod.spec.serviceAccountName || DEFAULT_SERVICE_ACCOUNT;
  pod.spec.serviceAccountName = name;
  pod.spec.serviceAccount = name;
  return name;
}

const containersOf = (pod: Pod): Container[] =>
  [...(Array.isArray(pod.spec.initContainers) ? pod.spec.initContainers : []), ...(Array.isArray(pod.spec.containers) ? pod.spec.containers : [])].filter(
    (c): c is Container => typeof c === 'object' && c !== null,
  );

/** Mutates the pod as the plugin does once the service account is known. */
export function admitPod(pod: Pod, sa: ServiceAccount, suffix: string): void {
  defaultServiceAccountName(pod);
  const spec = pod.spec as PodSpec & { imagePullSecrets?: { name?: string }[] };
  if ((!Array.isArray(spec.imagePullSecrets) || spec.imagePullSecrets.length === 0) && Array.isArray(sa.imagePullSecrets) && sa.imagePullSecrets.length) {
    spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ name: s?.name ?? '' }));
  }
  if (!shouldAutomount(pod, sa)) return;
  const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
  const existing = volumes.find((v) => typeof v?.name === 'string' && v.name.startsWith(API_ACCESS_VOLUME_PREFIX));
  const volumeName = existing?.name ?? `${API_ACCESS_VOLUME_PREFIX}${suffix}`;
  let needed = false;
  for (const c of containersOf(pod)) {
    const mounts = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
    if (mounts.some((m) => m?.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
    c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
    needed = true;
  }
  if (needed && !existing) pod.spec.volumes = [...volumes, apiAccessVolume(volumeName)];
}

export function serviceAccountNotFound(pod: Pod, namespace: string, name: string): ApiError {
  return new ApiError(403, 'Forbidden', `pods "${pod.metadata.name ?? ''}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`, {
    name: pod.metadata.name,
    kind: 'pods',
  });
}

/**
 * The pods `beforeCreate` hook: `lookup` returns the service account or undefined when
 * absent (it should see writes made just before, e.g. fall back to storage on a cache miss).
 */
export function serviceAccountAdmission(
  lookup: (namespace: string, name: string) => Promise<ServiceAccount | undefined>,
  suffix: () => string = randomSuffix,
): (obj: KubeObject, ctx: WriteContext) => Promise<void> {
  return async (obj) => {
    const pod = obj as Pod;
    if (typeof pod.spec !== 'object' || pod.spec === null) return;
    if (isMirrorPod(pod)) {
      if (pod.spec.serviceAccountName) throw new ApiError(403, 'Forbidden', `pods "${pod.metadata.name ?? ''}" is forbidden: a mirror pod may not reference service accounts`, { name: pod.metadata.name, kind: 'pods' });
      return;
    }
    const namespace = pod.metadata.namespace ?? 'default';
    const name = defaultServiceAccountName(pod);
    const sa = await lookup(namespace, name);
    if (!sa) throw serviceAccountNotFound(pod, namespace, name);
    admitPod(pod, sa, suffix());
  };
}
