/**
 * The local-path provisioner's pure parts (after rancher's local-path-provisioner): the
 * default StorageClass, the node a new volume lives on (a Ready, schedulable node holding
 * the fewest local-path volumes), the PersistentVolume for a claim (a `DirectoryOrCreate`
 * hostPath under the base directory, pinned to its node by required node affinity), and
 * the helper pod that removes a deleted volume's directory on that node.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '@mk8s/shared';
import { DEFAULT_CLASS_ANNOTATION } from './match.js';

export const LOCAL_PATH_PROVISIONER = 'mk8s.io/local-path';
export const LOCAL_PATH_CLASS = 'local-path';
export const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** label on helper pods naming the volume they clean */
export const HELPER_PV_LABEL = 'mk8s.io/local-path-pv';
export const HELPER_NAMESPACE = 'kube-system';

export function defaultStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
}

export const volumeNameFor = (claim: PersistentVolumeClaim): string => `pvc-${claim.metadata.uid ?? ''}`;

const isReady = (n: Node): boolean => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** The node a volume is pinned to by its required node affinity (kubernetes.io/hostname In [x]). */
export function volumeNode(pv: PersistentVolume): string | undefined {
  for (const term of pv.spec.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const e of term.matchExpressions ?? []) if (e.key === HOSTNAME_LABEL && e.operator === 'In' && e.values?.length === 1) return e.values[0];
  }
  return undefined;
}

const nodeHostname = (n: Node): string => n.metadata.labels?.[HOSTNAME_LABEL] ?? n.metadata.name ?? '';

/** A Ready, schedulable node with the fewest local-path volumes (ties by name), or undefined. */
export function pickNode(nodes: readonly Node[], volumes: readonly PersistentVolume[]): Node | undefined {
  const count = new Map<string, number>();
  for (const pv of volumes) {
    if (pv.metadata.annotations?.[PROVISIONED_BY] !== LOCAL_PATH_PROVISIONER) continue;
    const n = volumeNode(pv);
    if (n) count.set(n, (count.get(n) ?? 0) + 1);
  }
  return nodes
    .filter((n) => isReady(n) && !n.spec?.unschedulable && !n.metadata.deletionTimestamp)
    .sort((a, b) => (count.get(nodeHostname(a)) ?? 0) - (count.get(nodeHostname(b)) ?? 0) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}

export function provisionedVolume(claim: PersistentVolumeClaim, sc: StorageClass, node: Node, base: string): PersistentVolume {
  const name = volumeNameFor(claim);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [PROVISIONED_BY]: LOCAL_PATH_PROVISIONER } },
    spec: {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: claim.spec.accessModes?.length ? [...claim.spec.accessModes] : ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name ?? LOCAL_PATH_CLASS,
      volumeMode: claim.spec.volumeMode ?? 'Filesystem',
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace ?? 'default',
        name: claim.metadata.name ?? '',
        uid: claim.metadata.uid ?? '',
      },
      hostPath: { path: `${base.replace(/\/+$/, '')}/${name}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [nodeHostname(node)] }] }] } },
    },
  };
}

export const helperPodName = (pv: PersistentVolume): string => `helper-pod-delete-${pv.metadata.name ?? ''}`.slice(0, 63);

/** A pod pinned to the volume's node that removes the volume's directory and exits. */
export function cleanupPod(pv: PersistentVolume, nodeName: string, image: string): Pod {
  const path = pv.spec.hostPath?.path ?? '';
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  const dir = path.slice(path.lastIndexOf('/') + 1);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: helperPodName(pv), namespace: HELPER_NAMESPACE, labels: { [HELPER_PV_LABEL]: pv.metadata.name ?? '' } },
    spec: {
      nodeName,
      restartPolicy: 'Never',
      tolerations: [{ operator: 'Exists' }],
      containers: [{ name: 'helper-pod', image, imagePullPolicy: 'IfNotPresent', command: ['rm', '-rf', `/data/${dir}`], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', hostPath: { path: parent, type: 'DirectoryOrCreate' } }],
    },
  };
}
