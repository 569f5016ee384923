/**
 * TaintToleration: a node's NoSchedule and NoExecute taints keep out every pod that does not
 * tolerate them (filter); PreferNoSchedule taints only lower the node's score, by how many of
 * them the pod does not tolerate (fewer is better).
 *
 * Matching follows core/v1 `Toleration.ToleratesTaint`: an empty toleration effect matches
 * every effect, an empty key with `Exists` matches every key, `Equal` (the default) compares
 * values with '' for a missing value.
 */
import type { Pod, Taint, Toleration } from '@mk8s/shared';
import { MAX_NODE_SCORE, SUCCESS, unresolvable, type NodeInfo, type Plugin, type Status } from '../types.js';

export const NAME = 'TaintToleration';

export function toleratesTaint(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (t.operator !== undefined && t.operator !== 'Equal') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

export function isTolerated(tolerations: readonly Toleration[] | undefined, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first NoSchedule/NoExecute taint the pod does not tolerate, or undefined when it may run there. */
export function untoleratedTaint(pod: Pod, taints: readonly Taint[] | undefined): Taint | undefined {
  return (taints ?? []).find((taint) => taint.effect !== 'PreferNoSchedule' && !isTolerated(pod.spec.tolerations, taint));
}

export function countIntolerablePreferNoSchedule(pod: Pod, taints: readonly Taint[] | undefined): number {
  return (taints ?? []).filter((taint) => taint.effect === 'PreferNoSchedule' && !isTolerated(pod.spec.tolerations, taint)).length;
}

export function taintToleration(): Plugin {
  return {
    name: NAME,
    filter(pod: Pod, nodeInfo: NodeInfo): Status {
      const taints = nodeInfo.node.spec?.taints;
      if (!taints || taints.length === 0) return SUCCESS;
      const taint = untoleratedTaint(pod, taints);
      if (!taint) return SUCCESS;
      return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    },
    score(pod: Pod, nodeInfo: NodeInfo): number {
      const taints = nodeInfo.node.spec?.taints;
      return taints && taints.length > 0 ? countIntolerablePreferNoSchedule(pod, taints) : 0;
    },
    normalizeScore(_pod: Pod, scores: Float64Array): void {
      reverseNormalize(scores);
    },
  };
}

/** Rewrites counts where fewer is better to 0..100 where higher is better. */
export function reverseNormalize(scores: Float64Array): void {
  let max = 0;
  for (const s of scores) max = Math.max(max, s);
  for (let i = 0; i < scores.length; i++) scores[i] = max === 0 ? MAX_NODE_SCORE : Math.round((MAX_NODE_SCORE * (max - scores[i]!)) / max);
}
