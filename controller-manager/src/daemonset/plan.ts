/**
 * The DaemonSet controller's per-sync decisions, pure functions of the cached DaemonSet, nodes
 * and claimed pods (k8s daemon_controller.go manage/podsShouldBeOnNode, maxSurge 0):
 * - `groupByNode`: claimed pods by the node they run on or are pinned to;
 * - `planManage`: create a pod on each node that should run one and has none (a node whose only
 *   pod is terminating gets its new pod once the old one is gone); on nodes that keep their pod,
 *   delete Succeeded pods, report Failed ones (the controller deletes them subject to back-off)
 *   and keep only the oldest of several running ones; delete every pod on nodes that must not
 *   run one (untolerated NoExecute taint, selector or affinity no longer matching) and on nodes
 *   that no longer exist.
 */
import type { DaemonSet, Node, Pod } from '@mk8s/shared';
import { nodeShouldRunDaemonPod, targetNodeName } from './node-fit.js';

export type PodsByNode = Map<string, Pod[]>;

export function groupByNode(pods: Pod[]): PodsByNode {
  const byNode: PodsByNode = new Map();
  for (const p of pods) {
    const node = targetNodeName(p);
    if (node === undefined) continue;
    const list = byNode.get(node);
    if (list) list.push(p);
    else byNode.set(node, [p]);
  }
  return byNode;
}

const created = (p: Pod): number => (p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : 0);

/** Oldest first, bound pods before unbound ones, then by name (k8s podByCreationTimestampAndPhase). */
export function compareByAge(a: Pod, b: Pod): number {
  const bound = (p: Pod): number => (p.spec.nodeName ? 0 : 1);
  if (bound(a) !== bound(b)) return bound(a) - bound(b);
  if (created(a) !== created(b)) return created(a) - created(b);
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
}

export interface ManagePlan {
  /** nodes to create a daemon pod on */
  createOn: string[];
  delete: Pod[];
  /** Failed pods on nodes that keep their daemon pod: deleted unless the node is in back-off */
  failed: { pod: Pod; node: string }[];
}

export function planManage(ds: DaemonSet, nodes: Node[], byNode: PodsByNode): ManagePlan {
  const plan: ManagePlan = { createOn: [], delete: [], failed: [] };
  const live = (ps: Pod[]): Pod[] => ps.filter((p) => !p.metadata.deletionTimestamp);
  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    const fit = nodeShouldRunDaemonPod(ds, node);
    const pods = byNode.get(name);
    if (fit.shouldRun && !pods) {
      plan.createOn.push(name);
    } else if (fit.shouldContinueRunning && pods) {
      const running: Pod[] = [];
      for (const p of live(pods)) {
        if (p.status?.phase === 'Failed') plan.failed.push({ pod: p, node: name });
        else if (p.status?.phase === 'Succeeded') plan.delete.push(p);
        else running.push(p);
      }
      plan.delete.push(...running.sort(compareByAge).slice(1));
    } else if (!fit.shouldContinueRunning && pods) {
      plan.delete.push(...live(pods));
    }
  }
  const known = new Set(nodes.map((n) => n.metadata.name ?? ''));
  for (const [name, pods] of byNode) if (!known.has(name)) plan.delete.push(...live(pods));
  return plan;
}
