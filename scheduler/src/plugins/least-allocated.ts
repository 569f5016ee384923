/**
 * NodeResourcesLeastAllocated: prefers nodes with the most free cpu and memory after placing
 * the pod, each resource scored (allocatable - requested) / allocatable * 100 and averaged.
 * Requests here are the "non-zero" ones (empty containers count as 100m / 200Mi), so pods
 * without requests still spread out.
 */
import type { Pod } from '@mk8s/shared';
import { podResourcesOf, type Resources } from '../resources.js';
import { MAX_NODE_SCORE, type NodeInfo, type Plugin } from '../types.js';

export const NAME = 'NodeResourcesLeastAllocated';

function free(capacity: number, requested: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return ((capacity - requested) * MAX_NODE_SCORE) / capacity;
}

/** Score 0..100 of a node with `allocatable` and `requested` (including the pod). */
export function leastAllocatedScore(allocatable: Resources, requested: Resources): number {
  return (free(allocatable.milliCpu, requested.milliCpu) + free(allocatable.memory, requested.memory)) / 2;
}

export function leastAllocated(): Plugin {
  return {
    name: NAME,
    score(pod: Pod, nodeInfo: NodeInfo): number {
      const want = podResourcesOf(pod).nonZero;
      return leastAllocatedScore(nodeInfo.allocatable, {
        milliCpu: nodeInfo.nonZeroRequested.milliCpu + want.milliCpu,
        memory: nodeInfo.nonZeroRequested.memory + want.memory,
      });
    },
  };
}
