/**
 * NodeName: a pod that names a node in `spec.nodeName` fits only that node. (Pods arriving
 * with a nodeName are already bound and never reach the queue; the plugin keeps the
 * framework honest when one does.)
 */
import type { Node, Pod } from '@mk8s/shared';
import { SUCCESS, unresolvable, type NodeInfo, type Plugin, type Status } from '../types.js';

export const NAME = 'NodeName';
export const REASON = "node(s) didn't match the requested node name";

export function fitsNodeName(pod: Pod, node: Node): boolean {
  const want = pod.spec.nodeName;
  return !want || want === node.metadata.name;
}

export function nodeName(): Plugin {
  return {
    name: NAME,
    filter(pod: Pod, nodeInfo: NodeInfo): Status {
      return fitsNodeName(pod, nodeInfo.node) ? SUCCESS : unresolvable(REASON);
    },
  };
}
