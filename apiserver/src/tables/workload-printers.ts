/**
 * Rows for the workload and cluster kinds: ReplicationController, ReplicaSet, Deployment,
 * Lease, HorizontalPodAutoscaler (autoscaling/v2), StorageClass, Scale, and the generic fallback
 * (Name, Age) for anything without a printer. Formats follow kubectl's printers.
 */
import type { Deployment, HorizontalPodAutoscaler, KubeObject, Lease, ReplicaSet, ReplicationController, Scale, StorageClass } from '@mk8s/shared';
import { translateTimestampSince } from './duration.js';
import { ageColumn, column, containerCells, containersColumn, formatLabels, formatLabelSelector, imagesColumn, nameColumn, selectorString } from './format.js';
import type { KindPrinter } from './types.js';

const name = (o: KubeObject) => o.metadata.name ?? '';
const age = (o: KubeObject, now: Date) => translateTimestampSince(o.metadata.creationTimestamp, now);

const replicaColumns = (selectorDescription: string) => [
  nameColumn(),
  column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
  column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
  column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
  ageColumn(),
  containersColumn(),
  imagesColumn(),
  column('Selector', 'string', selectorDescription, 1),
];

export const replicationControllerPrinter: KindPrinter = {
  columns: replicaColumns('Selector is a label query over pods that should match the Replicas count.'),
  print(obj, now) {
    const rc = obj as ReplicationController;
    const [names, images] = containerCells(rc.spec.template?.spec?.containers);
    return {
      cells: [name(rc), rc.spec.replicas ?? 1, rc.status?.replicas ?? 0, rc.status?.readyReplicas ?? 0, age(rc, now), names, images, formatLabels(rc.spec.selector)],
    };
  },
};

export const replicaSetPrinter: KindPrinter = {
  columns: replicaColumns('Selector is a label query over pods that should match the replica count.'),
  print(obj, now) {
    const rs = obj as ReplicaSet;
    const [names, images] = containerCells(rs.spec.template?.spec?.containers);
    return {
      cells: [name(rs), rs.spec.replicas ?? 1, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, age(rs, now), names, images, formatLabelSelector(rs.spec.selector)],
    };
  },
};

export const deploymentPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column('Selector', 'string', 'Label selector for pods.', 1),
  ],
  print(obj, now) {
    const d = obj as Deployment;
    const [names, images] = containerCells(d.spec.template?.spec?.containers);
    const status = d.status ?? {};
    return {
      cells: [
        name(d),
        `${status.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
        status.updatedReplicas ?? 0,
        status.availableReplicas ?? 0,
        age(d, now),
        names,
        images,
        selectorString(d.spec.selector),
      ],
    };
  },
};

export const leasePrinter: KindPrinter = {
  columns: [nameColumn(), column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn()],
  print: (obj, now) => ({ cells: [name(obj), (obj as Lease).spec?.holderIdentity ?? '', age(obj, now)] }),
};

// ---- HorizontalPodAutoscaler ----

type HPAStatusMetric = {
  type?: string;
  resource?: { name?: string; current?: { averageUtilization?: number; averageValue?: string } };
};

/** `cpu: 10%/80%`, `memory: 100Mi/200Mi`, `<unknown>` before metrics arrive; at most two, then `+ N more...`. */
export function formatHPAMetrics(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const statuses = (hpa.status?.currentMetrics ?? []) as HPAStatusMetric[];
  const list = specs.map((spec, i) => {
    if (spec.type !== 'Resource' || !spec.resource) return '<unknown type>';
    const current = statuses[i]?.resource?.current;
    const target = spec.resource.target;
    if (target.averageValue !== undefined) return `${spec.resource.name}: ${current?.averageValue ?? '<unknown>'}/${target.averageValue}`;
    const cur = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : '<unknown>';
    const tgt = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
    return `${spec.resource.name}: ${cur}/${tgt}`;
  });
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(', ')} + ${list.length - max} more...` : list.join(', ');
}

export const horizontalPodAutoscalerPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Reference', 'string', 'scaleTargetRef points to the target resource to scale.'),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    ageColumn(),
  ],
  print(obj, now) {
    const hpa = obj as HorizontalPodAutoscaler;
    const ref = hpa.spec.scaleTargetRef;
    return {
      cells: [
        name(hpa),
        `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
        formatHPAMetrics(hpa),
        hpa.spec.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
        hpa.spec.maxReplicas ?? 0,
        hpa.status?.currentReplicas ?? 0,
        age(hpa, now),
      ],
    };
  },
};

// ---- StorageClass ----

const isDefaultClass = (o: KubeObject) =>
  o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ||
  o.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true';

export const storageClassPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn(),
  ],
  print(obj, now) {
    const sc = obj as StorageClass & { allowVolumeExpansion?: boolean };
    return {
      cells: [
        isDefaultClass(sc) ? `${name(sc)} (default)` : name(sc),
        sc.provisioner ?? '',
        sc.reclaimPolicy ?? 'Delete',
        sc.volumeBindingMode ?? 'Immediate',
        sc.allowVolumeExpansion ?? false,
        age(sc, now),
      ],
    };
  },
};

/** autoscaling/v1 Scale, for `kubectl get <workload> --subresource=scale`. */
export const scalePrinter: KindPrinter = {
  columns: [
    { ...nameColumn(), format: '' },
    column('Desired', 'integer', 'replicas is the desired number of instances for the scaled object.'),
    column('Available', 'integer', 'replicas is the actual number of observed instances of the scaled object.'),
    ageColumn(),
  ],
  print(obj, now) {
    const scale = obj as Scale;
    return { cells: [name(scale), scale.spec?.replicas ?? 0, scale.status?.replicas ?? 0, age(scale, now)] };
  },
};

export const genericPrinter: KindPrinter = {
  columns: [nameColumn(), ageColumn()],
  print: (obj, now) => ({ cells: [name(obj), age(obj, now)] }),
};
