/**
 * NodePorts: a pod asking for host ports fits only a node where none of them is taken by a
 * pod counted there (same protocol and port, and the same host IP or either side 0.0.0.0).
 */
import type { Pod } from '@mk8s/shared';
import { podResourcesOf, type HostPort } from '../resources.js';
import { SUCCESS, unschedulable, type NodeInfo, type Plugin, type Status } from '../types.js';

export const NAME = 'NodePorts';
export const REASON = "node(s) didn't have free ports for the requested pod ports";

export function hasFreePorts(want: readonly HostPort[], nodeInfo: Pick<NodeInfo, 'portInUse'>): boolean {
  return want.every((p) => !nodeInfo.portInUse(p));
}

export function nodePorts(): Plugin {
  return {
    name: NAME,
    filter(pod: Pod, nodeInfo: NodeInfo): Status {
      return hasFreePorts(podResourcesOf(pod).hostPorts, nodeInfo) ? SUCCESS : unschedulable(REASON);
    },
  };
}
