/**
 * NodeReady: only nodes whose `Ready` condition is `True` take pods. A NotReady or Unknown
 * node (or one that has not reported yet) is skipped, unless the pod tolerates the matching
 * `node.kubernetes.io/not-ready` / `unreachable` NoSchedule taint, as DaemonSet pods do.
 * (Kubernetes expresses this with taints set by the node lifecycle controller; mk8s checks
 * the condition directly so a freshly registered node is usable the moment it reports Ready.)
 */
import type { Node, Pod } from '@mk8s/shared';
import { SUCCESS, unschedulable, type NodeInfo, type Plugin, type Status } from '../types.js';
import { isTolerated } from './taint-toleration.js';

export const NAME = 'NodeReady';
export const REASON = 'node(s) were not ready';

export function readyStatus(node: Node): 'True' | 'False' | 'Unknown' {
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') return c.status;
  return 'Unknown';
}

export function isNodeReadyFor(pod: Pod, node: Node): boolean {
  const status = readyStatus(node);
  if (status === 'True') return true;
  const key = status === 'False' ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/unreachable';
  return isTolerated(pod.spec.tolerations, { key, effect: 'NoSchedule' });
}

export function nodeReady(): Plugin {
  return {
    name: NAME,
    filter(pod: Pod, nodeInfo: NodeInfo): Status {
      return isNodeReadyFor(pod, nodeInfo.node) ? SUCCESS : unschedulable(REASON);
    },
  };
}
