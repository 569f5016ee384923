/**
 * NodeUnschedulable: a cordoned node (`spec.unschedulable: true`) takes no new pods, unless
 * the pod tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint.
 */
import type { Node, Pod } from '@mk8s/shared';
import { SUCCESS, unresolvable, type NodeInfo, type Plugin, type Status } from '../types.js';
import { isTolerated } from './taint-toleration.js';

export const NAME = 'NodeUnschedulable';
export const REASON = 'node(s) were unschedulable';
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

export function allowsUnschedulable(pod: Pod, node: Node): boolean {
  if (!node.spec?.unschedulable) return true;
  return isTolerated(pod.spec.tolerations, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' });
}

export function nodeUnschedulable(): Plugin {
  return {
    name: NAME,
    filter(pod: Pod, nodeInfo: NodeInfo): Status {
      return allowsUnschedulable(pod, nodeInfo.node) ? SUCCESS : unresolvable(REASON);
    },
  };
}
