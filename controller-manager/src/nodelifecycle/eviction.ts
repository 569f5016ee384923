/**
 * Taint-based eviction as pure functions (kubernetes pkg/controller/tainteviction): a pod on a
 * node with NoExecute taints is evicted at once when some taint is not tolerated, else when the
 * shortest `tolerationSeconds` of the tolerations used has passed since the taint's `timeAdded`
 * (tolerations without seconds tolerate forever). Removing the taint removes the deadline, so
 * pending evictions are cancelled by construction.
 */
import type { Pod, Taint, Toleration } from '@mk8s/shared';

/** Kubernetes' Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export const noExecuteTaints = (taints: Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.effect === 'NoExecute');

/**
 * When the pod must be evicted (ms since epoch), or undefined if never. A taint without
 * timeAdded counts from `nowMs`.
 */
export function evictionTimeMs(pod: Pod, taints: Taint[], nowMs: number): number | undefined {
  let at: number | undefined;
  for (const taint of noExecuteTaints(taints)) {
    const used = (pod.spec.tolerations ?? []).filter((t) => toleratesTaint(t, taint));
    if (used.length === 0) return nowMs;
    const seconds = used.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
    if (seconds.length === 0) continue;
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    const due = (Number.isNaN(added) ? nowMs : added) + Math.max(0, Math.min(...seconds)) * 1000;
    at = at === undefined ? due : Math.min(at, due);
  }
  return at;
}

/**
 * mk8s differs from Kubernetes here, on purpose: a pod marked for deletion on an unreachable
 * node can never be confirmed stopped by its kubelet, so Kubernetes leaves it Terminating until
 * the node returns or an operator force-deletes it. mk8s deletes gracefully first (as Kubernetes
 * does) and, once the grace period has passed while the node is still unreachable, force-deletes
 * (grace 0) so the pod's controller recreates it elsewhere.
 */
export function shouldForceDelete(pod: Pod, nodeUnreachable: boolean, nowMs: number): boolean {
  if (!nodeUnreachable || !pod.metadata.deletionTimestamp) return false;
  const due = Date.parse(pod.metadata.deletionTimestamp);
  return !Number.isNaN(due) && nowMs >= due;
}
