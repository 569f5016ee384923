/**
 * calculateStatus: the DaemonSet's status as a pure function of the nodes, its pods by node,
 * the current template hash and the time (k8s updateDaemonSetStatus). Per node that should run
 * a pod: desired; if it has one, current, and the oldest pod decides ready, available (ready for
 * minReadySeconds) and updated (current hash). Pods on nodes that should not run one are
 * misscheduled. numberUnavailable = desired - available. Other status fields are kept.
 */
import type { DaemonSet, Node } from '@mk8s/shared';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { podHash } from './daemon-pod.js';
import { nodeShouldRunDaemonPod } from './node-fit.js';
import { compareByAge, type PodsByNode } from './plan.js';

export type DaemonSetStatus = NonNullable<DaemonSet['status']>;

export function calculateStatus(ds: DaemonSet, nodes: Node[], byNode: PodsByNode, hash: string, nowMs: number, observe: boolean): DaemonSetStatus {
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name ?? '') ?? [];
    if (!nodeShouldRunDaemonPod(ds, node).shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    const oldest = [...pods].sort(compareByAge)[0];
    if (!oldest) continue;
    current++;
    if (isPodReady(oldest)) {
      ready++;
      if (isPodAvailable(oldest, ds.spec.minReadySeconds ?? 0, nowMs)) available++;
    }
    if (podHash(oldest) === hash) updated++;
  }
  const status: DaemonSetStatus = {
    ...ds.status,
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
  if (observe && ds.metadata.generation !== undefined) status.observedGeneration = ds.metadata.generation;
  return status;
}

const FIELDS = ['desiredNumberScheduled', 'currentNumberScheduled', 'numberMisscheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'observedGeneration'] as const;

export function statusEqual(a: DaemonSet['status'], b: DaemonSetStatus): boolean {
  return FIELDS.every((f) => (a?.[f] ?? 0) === (b[f] ?? 0));
}
