/**
 * NodeLifecycleController: every `nodeMonitorPeriodMs`, `monitor()` walks the cached nodes and
 * - turns the monitored conditions of a node silent for `nodeMonitorGracePeriodMs` to Unknown
 *   (status subresource), records NodeNotReady, and marks the node's pods Ready=False;
 * - keeps the NoExecute lifecycle taint in line with the Ready status (unreachable / not-ready /
 *   none), with timeAdded on a new taint, and the NoSchedule taints by condition (not-ready,
 *   unreachable, memory/disk/pid pressure, network-unavailable) and for cordoned nodes;
 * - evicts (deletes gracefully, event TaintManagerEviction) pods whose NoExecute taints are not
 *   tolerated or whose tolerationSeconds ran out, and force-deletes pods on unreachable nodes once
 *   their grace period has passed (see `shouldForceDelete`).
 * - force-deletes pods bound to a Node that has been gone (cache and a live read agree) for the
 *   grace period: Kubernetes' pod GC does this for orphaned pods; mk8s does it here.
 * Not done (on purpose, for now): Kubernetes' zone disruption handling, which stops tainting and
 * evicting when every node of a zone is unhealthy (so a single-node cluster never evicts) and
 * slows evictions in partially disrupted zones; mk8s taints and evicts per node.
 * Level-triggered: every pass recomputes from the caches, so a failed write is retried on the
 * next pass and a removed taint simply stops eviction. Time comes from an injectable clock.
 */
import {
  isConflict,
  isNotFound,
  realClock,
  type Clock,
  type EventRecorder,
  type Lease,
  type Logger,
  type Node,
  type Pod,
  type ResourceApi,
} from '@mk8s/shared';
import { isPodReady } from '../util/pods.js';
import { evictionTimeMs, shouldForceDelete } from './eviction.js';
import { desiredTaints, isHeartbeatStale, lastHeartbeatMs, readyConditionOf, reconcileTaints, TAINT_UNREACHABLE, unknownConditions } from './health.js';
import type { Lister } from '../util/lister.js';

export interface NodeLifecycleDeps {
  nodes: Lister<Node>;
  leases: Lister<Lease>;
  pods: Lister<Pod>;
  nodeApi: ResourceApi<Node>;
  podApi: ResourceApi<Pod>;
  recorder: EventRecorder;
  logger: Logger;
  gracePeriodMs: number;
  clock?: Clock;
}

export const LEASE_NAMESPACE = 'kube-node-lease';
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class NodeLifecycleController {
  private readonly clock: Clock;
  private readonly firstSeen = new Map<string, number>();
  /** node name -> when pods bound to it were first seen without the node */
  private readonly missingSince = new Map<string, number>();

  constructor(private readonly d: NodeLifecycleDeps) {
    this.clock = d.clock ?? realClock;
  }

  /** One pass over every node and its pods. Never throws; failures are logged and retried next pass. */
  async monitor(): Promise<void> {
    const nowMs = this.clock.now();
    const nodes = this.d.nodes.list();
    const names = new Set(nodes.map((n) => n.metadata.name ?? ''));
    for (const name of this.firstSeen.keys()) if (!names.has(name)) this.firstSeen.delete(name);
    const current = new Map<string, Node>();
    for (const node of nodes) {
      try {
        current.set(node.metadata.name ?? '', await this.monitorNode(node, nowMs));
      } catch (err) {
        current.set(node.metadata.name ?? '', node);
        this.d.logger.warn({ err, node: node.metadata.name }, 'node health update failed');
      }
    }
    const gone = await this.goneNodes(current, nowMs);
    for (const pod of this.d.pods.list()) {
      if (pod.spec.nodeName && gone.has(pod.spec.nodeName)) {
        await this.deleteOrphan(pod);
        continue;
      }
      const node = pod.spec.nodeName ? current.get(pod.spec.nodeName) : undefined;
      if (!node) continue;
      try {
        await this.processPod(pod, node, nowMs);
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) this.d.logger.warn({ err, pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'pod eviction step failed');
      }
    }
  }

  /** Names of nodes pods are bound to that have been missing for the grace period (confirmed live). */
  private async goneNodes(current: Map<string, Node>, nowMs: number): Promise<Set<string>> {
    const missing = new Set<string>();
    for (const pod of this.d.pods.list()) if (pod.spec.nodeName && !current.has(pod.spec.nodeName)) missing.add(pod.spec.nodeName);
    for (const name of this.missingSince.keys()) if (!missing.has(name)) this.missingSince.delete(name);
    const gone = new Set<string>();
    for (const name of missing) {
      if (!this.missingSince.has(name)) this.missingSince.set(name, nowMs);
      if (nowMs - this.missingSince.get(name)! < this.d.gracePeriodMs) continue;
      try {
        await this.d.nodeApi.get(undefined, name);
        this.missingSince.delete(name); // the cache lags: it exists
      } catch (err) {
        if (isNotFound(err)) gone.add(name);
        else this.d.logger.warn({ err, node: name }, 'could not confirm a missing node');
      }
    }
    return gone;
  }

  private async deleteOrphan(pod: Pod): Promise<void> {
    const { namespace, name = '', uid } = pod.metadata;
    try {
      await this.d.podApi.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
      this.d.logger.info({ pod: `${namespace}/${name}`, node: pod.spec.nodeName }, 'force-deleted pod bound to a deleted node');
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) this.d.logger.warn({ err, pod: `${namespace}/${name}` }, 'orphaned pod not deleted');
    }
  }

  private async monitorNode(node: Node, nowMs: number): Promise<Node> {
    const name = node.metadata.name ?? '';
    if (!this.firstSeen.has(name)) this.firstSeen.set(name, nowMs);
    const lease = this.d.leases.get(LEASE_NAMESPACE, name);
    const stale = isHeartbeatStale(lastHeartbeatMs(node, lease), this.firstSeen.get(name)!, nowMs, this.d.gracePeriodMs);
    let latest = node;
    if (stale) {
      const conditions = unknownConditions(node, iso(nowMs));
      if (conditions) {
        const wasReady = readyConditionOf(node)?.status === 'True';
        latest = await this.d.nodeApi.updateStatus({ ...node, status: { ...node.status, conditions } });
        this.d.logger.info({ node: name }, 'node stopped posting status; conditions set to Unknown');
        if (wasReady) this.d.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      }
    }
    const taints = reconcileTaints(latest.spec?.taints, desiredTaints(latest), iso(nowMs));
    if (taints) {
      latest = await this.d.nodeApi.patch(undefined, name, { metadata: { resourceVersion: latest.metadata.resourceVersion }, spec: { taints } }, 'merge');
      this.d.logger.info({ node: name, taints: taints.map((t) => t.key) }, 'node taints updated');
    }
    return latest;
  }

  private async processPod(pod: Pod, node: Node, nowMs: number): Promise<void> {
    const unreachable = (node.spec?.taints ?? []).some((t) => t.key === TAINT_UNREACHABLE && t.effect === 'NoExecute');
    const { namespace, name = '', uid } = pod.metadata;
    if (pod.metadata.deletionTimestamp) {
      if (shouldForceDelete(pod, unreachable, nowMs)) {
        await this.d.podApi.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
        this.d.logger.info({ pod: `${namespace}/${name}`, node: node.metadata.name }, 'force-deleted pod on unreachable node');
      }
      return;
    }
    if (readyConditionOf(node)?.status === 'Unknown' && isPodReady(pod)) await this.markNotReady(pod, nowMs);
    const due = evictionTimeMs(pod, node.spec?.taints ?? [], nowMs);
    if (due === undefined || nowMs < due) return;
    await this.d.podApi.delete(namespace, name, { preconditions: { uid } });
    this.d.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
    this.d.logger.info({ pod: `${namespace}/${name}`, node: node.metadata.name }, 'evicted pod from tainted node');
  }

  /** What Kubernetes' MarkPodsNotReady does: Ready=False, so endpoints drop the pod. */
  private async markNotReady(pod: Pod, nowMs: number): Promise<void> {
    const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const, lastTransitionTime: iso(nowMs) } : c));
    await this.d.podApi.updateStatus({ ...pod, status: { ...pod.status, conditions } });
  }
}
