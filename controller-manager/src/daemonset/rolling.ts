/**
 * RollingUpdate with maxSurge 0 (k8s daemon update.go rollingUpdate): on every node that should
 * run a daemon pod, an old-revision pod is deleted (its replacement is created by the next
 * manage once it is gone) while at most maxUnavailable such nodes are unavailable. A node is
 * unavailable when its new pod is not yet available (ready for minReadySeconds), when it has no
 * live pod or an old and a new one, or when it is being replaced; an old pod that is itself
 * unavailable is replaced at once without spending the budget. maxUnavailable is an int or a
 * percent of the desired nodes rounded up, default 1, and never 0. maxSurge > 0 (a new pod
 * next to the old one before it goes) is not implemented: it is handled as 0.
 */
import type { DaemonSet, Node, Pod } from '@mk8s/shared';
import { scaledValue } from '../deployment/replica-math.js';
import { isPodAvailable } from '../util/pods.js';
import { podHash } from './daemon-pod.js';
import { nodeShouldRunDaemonPod } from './node-fit.js';
import type { PodsByNode } from './plan.js';

export function isRollingUpdate(ds: DaemonSet): boolean {
  return (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function maxUnavailableOf(ds: DaemonSet, desired: number): number {
  const n = scaledValue(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable, desired, true, 1);
  return Math.max(1, n);
}

export function planRollingUpdate(ds: DaemonSet, nodes: Node[], byNode: PodsByNode, hash: string, nowMs: number): Pod[] {
  const desiredNodes = nodes.filter((n) => nodeShouldRunDaemonPod(ds, n).shouldRun).map((n) => n.metadata.name ?? '');
  desiredNodes.sort();
  const maxUnavailable = maxUnavailableOf(ds, desiredNodes.length);
  const available = (p: Pod): boolean => isPodAvailable(p, ds.spec.minReadySeconds ?? 0, nowMs);
  let unavailable = 0;
  const replaceNow: Pod[] = [];
  const candidates: Pod[] = [];
  for (const name of desiredNodes) {
    const live = (byNode.get(name) ?? []).filter((p) => !p.metadata.deletionTimestamp);
    const fresh = live.filter((p) => podHash(p) === hash);
    const old = live.filter((p) => podHash(p) !== hash);
    if (fresh.length > 1 || old.length > 1 || fresh.length + old.length !== 1) {
      unavailable++;
    } else if (fresh[0]) {
      if (!available(fresh[0])) unavailable++;
    } else if (old[0] && !available(old[0])) {
      replaceNow.push(old[0]);
    } else if (old[0]) {
      candidates.push(old[0]);
    }
  }
  const budget = Math.max(0, maxUnavailable - unavailable);
  return [...replaceNow, ...candidates.slice(0, budget)];
}
