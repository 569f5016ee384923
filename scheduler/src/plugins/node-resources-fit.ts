/**
 * NodeResourcesFit: the pod's cpu and memory requests must fit in the node's allocatable
 * minus what its pods already request, and one more pod must fit under `allocatable.pods`.
 * Every shortfall is reported ("Insufficient cpu", "Insufficient memory", "Too many pods").
 * A resource the pod does not request is never short.
 */
import type { Pod } from '@mk8s/shared';
import { podResourcesOf, type Resources } from '../resources.js';
import { SUCCESS, unschedulable, type NodeInfo, type Plugin, type Status } from '../types.js';

export const NAME = 'NodeResourcesFit';

/** The reasons the pod does not fit (empty when it fits). */
export function insufficientResources(request: Resources, nodeInfo: NodeInfo): string[] {
  const out: string[] = [];
  const alloc = nodeInfo.allocatable;
  if (nodeInfo.pods.size + 1 > alloc.pods) out.push('Too many pods');
  if (request.milliCpu > 0 && request.milliCpu > alloc.milliCpu - nodeInfo.requested.milliCpu) out.push('Insufficient cpu');
  if (request.memory > 0 && request.memory > alloc.memory - nodeInfo.requested.memory) out.push('Insufficient memory');
  return out;
}

export function fitsResources(pod: Pod, nodeInfo: NodeInfo): boolean {
  return insufficientResources(podResourcesOf(pod).requests, nodeInfo).length === 0;
}

export function nodeResourcesFit(): Plugin {
  return {
    name: NAME,
    filter(pod: Pod, nodeInfo: NodeInfo): Status {
      const req = podResourcesOf(pod).requests;
      const alloc = nodeInfo.allocatable;
      if (
        nodeInfo.pods.size < alloc.pods &&
        req.milliCpu <= alloc.milliCpu - nodeInfo.requested.milliCpu &&
        req.memory <= alloc.memory - nodeInfo.requested.memory
      )
        return SUCCESS;
      const reasons = insufficientResources(req, nodeInfo);
      return reasons.length === 0 ? SUCCESS : unschedulable(...reasons);
    },
  };
}
