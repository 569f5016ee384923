/**
 * OwnerSpread: spreads the pods of one controller (the ownerReference with controller: true)
 * across nodes: the fewer sibling pods a node already has, the higher its score. A pod with
 * no controller scores every node the same.
 */
import type { Pod } from '@mk8s/shared';
import { podResourcesOf } from '../resources.js';
import type { NodeInfo, Plugin } from '../types.js';
import { reverseNormalize } from './taint-toleration.js';

export const NAME = 'OwnerSpread';

/** Number of pods on the node that share the pod's controller. */
export function siblingCount(pod: Pod, nodeInfo: Pick<NodeInfo, 'ownerCount'>): number {
  const owner = podResourcesOf(pod).ownerUid;
  return owner ? nodeInfo.ownerCount(owner) : 0;
}

export function ownerSpread(): Plugin {
  return {
    name: NAME,
    skipScore(pod: Pod): boolean {
      return podResourcesOf(pod).ownerUid === undefined;
    },
    score(pod: Pod, nodeInfo: NodeInfo): number {
      return siblingCount(pod, nodeInfo);
    },
    normalizeScore(_pod: Pod, scores: Float64Array): void {
      reverseNormalize(scores);
    },
  };
}
