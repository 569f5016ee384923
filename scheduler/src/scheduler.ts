/**
 * The scheduler: keeps the cache and the queue current from pod and node events, and while
 * it runs (only on the leader) takes pending pods one at a time, decides a node for each,
 * and binds.
 *
 * Contract:
 * - Decisions are sequential; binds run concurrently (at most `maxInFlightBinds`). A pod is
 *   assumed on its node as soon as it is decided, so the next decision sees the room it
 *   took; a failed bind forgets the assumption and retries the pod after backoff.
 * - A pod is bound at most once by this scheduler: pods that are bound, assumed or being
 *   deleted are skipped; a 409 from the apiserver means someone bound it already (dropped).
 * - A pod that fits no node gets a `FailedScheduling` Warning event and the PodScheduled=False
 *   (Unschedulable) condition, and waits in the queue's unschedulable set.
 * - Event handlers never throw and never call the network; only `run` does.
 */
import { isConflict, isNotFound, RESOURCES, type ApiClient, type Condition, type KubeObject, type Logger, type Node, type Pod } from '@mk8s/shared';
import { podUid, SchedulerCache } from './cache.js';
import { DEFAULT_SCHEDULER_NAME, needsScheduling, nodeSchedulingPropertiesChanged, occupiesNode } from './event-handlers.js';
import { Framework } from './framework.js';
import type { SchedulerMetrics } from './metrics.js';
import { buildPlugins } from './registry.js';
import { podKey, SchedulingQueue, type QueuedPod } from './scheduling-queue.js';

/** metav1.Time: RFC 3339 in whole seconds. */
const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface EventSink {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): unknown;
}

export interface SchedulerOptions {
  client: ApiClient;
  logger: Logger;
  recorder?: EventSink;
  schedulerName?: string;
  framework?: Framework;
  queue?: SchedulingQueue;
  cache?: SchedulerCache;
  metrics?: SchedulerMetrics;
  maxInFlightBinds?: number;
  /** record a Normal `Scheduled` event per bound pod (as kube-scheduler does) */
  recordScheduledEvents?: boolean;
  now?: () => number;
}

export class Scheduler {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  private readonly opts: SchedulerOptions;
  private readonly log: Logger;
  private readonly schedulerName: string;
  private readonly maxInFlightBinds: number;
  private readonly now: () => number;
  private readonly binds = new Set<Promise<void>>();
  private slotFreed: (() => void) | undefined;

  constructor(opts: SchedulerOptions) {
    this.opts = opts;
    this.log = opts.logger;
    this.schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.cache = opts.cache ?? new SchedulerCache();
    this.queue = opts.queue ?? new SchedulingQueue();
    this.framework = opts.framework ?? new Framework({ plugins: buildPlugins() });
    this.maxInFlightBinds = Math.max(1, opts.maxInFlightBinds ?? 32);
    this.now = opts.now ?? Date.now;
  }

  // ---- informer handlers ----

  onPodAdd = (pod: Pod): void => {
    if (occupiesNode(pod)) {
      this.cache.addPod(pod);
      this.queue.delete(pod);
    } else if (needsScheduling(pod, this.schedulerName)) {
      this.queue.add(pod);
    }
  };

  onPodUpdate = (_old: Pod, pod: Pod): void => {
    if (occupiesNode(pod)) {
      this.cache.updatePod(pod);
      this.queue.delete(pod);
      return;
    }
    if (this.cache.nodeOf(pod) !== undefined && pod.spec.nodeName) {
      // bound pod turned terminal: its resources are free
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoff();
      return;
    }
    if (needsScheduling(pod, this.schedulerName)) this.queue.add(pod);
    else this.queue.delete(pod);
  };

  onPodDelete = (pod: Pod): void => {
    this.queue.delete(pod);
    if (this.cache.nodeOf(pod) !== undefined) {
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoff();
    }
  };

  onNodeAdd = (node: Node): void => {
    this.cache.addNode(node);
    this.queue.moveAllToActiveOrBackoff();
  };

  onNodeUpdate = (old: Node, node: Node): void => {
    this.cache.updateNode(node);
    if (nodeSchedulingPropertiesChanged(old, node)) this.queue.moveAllToActiveOrBackoff();
  };

  onNodeDelete = (node: Node): void => {
    this.cache.removeNode(node.metadata.name ?? '');
  };

  // ---- the scheduling loop ----

  /** Schedules pods until the queue closes or `signal` aborts (leadership lost). */
  async run(signal?: AbortSignal): Promise<void> {
    const onAbort = (): void => this.queue.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.log.info({ schedulerName: this.schedulerName }, 'scheduling loop started');
    try {
      for (;;) {
        while (this.binds.size >= this.maxInFlightBinds) await new Promise<void>((r) => (this.slotFreed = r));
        const qp = await this.queue.pop();
        if (!qp) break;
        this.scheduleOne(qp);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.waitForBinds();
      this.log.info('scheduling loop stopped');
    }
  }

  stop(): void {
    this.queue.close();
  }

  /** Resolves once every bind started so far has finished. */
  async waitForBinds(): Promise<void> {
    while (this.binds.size > 0) await Promise.allSettled([...this.binds]);
  }

  /** Decides a node for one popped pod and starts its bind. Synchronous up to the bind. */
  scheduleOne(qp: QueuedPod): void {
    const pod = qp.pod;
    if (!needsScheduling(pod, this.schedulerName) || this.cache.nodeOf(pod) !== undefined) {
      this.queue.done(qp);
      return;
    }
    const started = performance.now();
    const result = this.framework.schedulePod(pod, this.cache.nodeList());
    this.opts.metrics?.algorithmLatency.observe((performance.now() - started) / 1000);
    switch (result.kind) {
      case 'scheduled': {
        this.cache.assumePod(pod, result.node);
        const p = this.bind(qp, pod, result.node).finally(() => {
          this.binds.delete(p);
          const wake = this.slotFreed;
          this.slotFreed = undefined;
          wake?.();
        });
        this.binds.add(p);
        return;
      }
      case 'unschedulable':
        this.opts.metrics?.attempts.inc({ result: 'unschedulable' });
        this.log.info({ pod: qp.key, attempts: qp.attempts, reason: result.message }, 'pod unschedulable');
        this.opts.recorder?.event(pod, 'Warning', 'FailedScheduling', result.message);
        void this.setUnschedulableCondition(pod, result.message);
        this.queue.addUnschedulable(qp);
        return;
      case 'error':
        this.opts.metrics?.attempts.inc({ result: 'error' });
        this.log.error({ pod: qp.key, err: result.message }, 'scheduling failed');
        this.queue.addBackoff(qp);
        return;
    }
  }

  private async bind(qp: QueuedPod, pod: Pod, nodeName: string): Promise<void> {
    const ns = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    const body = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace: ns, ...(pod.metadata.uid ? { uid: pod.metadata.uid } : {}) },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    const started = performance.now();
    try {
      await this.opts.client.resource<Pod>(RESOURCES.pods).createSubresource(ns, name, 'binding', body);
      this.opts.metrics?.bindLatency.observe({ result: 'ok' }, (performance.now() - started) / 1000);
      this.opts.metrics?.attempts.inc({ result: 'scheduled' });
      this.opts.metrics?.e2eLatency.observe((this.now() - qp.initialTimestamp) / 1000);
      this.log.debug({ pod: qp.key, node: nodeName, attempts: qp.attempts }, 'pod bound');
      if (this.opts.recordScheduledEvents ?? true)
        this.opts.recorder?.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${nodeName}`);
      this.queue.done(qp);
    } catch (err) {
      this.opts.metrics?.bindLatency.observe({ result: 'error' }, (performance.now() - started) / 1000);
      this.cache.forgetPod(pod);
      if (isConflict(err) || isNotFound(err)) {
        // bound by someone else already, or deleted: nothing left to do for this pod
        this.log.info({ pod: qp.key, node: nodeName, err: (err as Error).message }, 'bind refused; dropping pod');
        this.queue.done(qp);
        return;
      }
      this.opts.metrics?.attempts.inc({ result: 'error' });
      this.log.warn({ pod: qp.key, node: nodeName, err: (err as Error).message }, 'bind failed');
      this.opts.recorder?.event(pod, 'Warning', 'FailedScheduling', `Binding rejected: ${(err as Error).message}`);
      this.queue.addBackoff(qp);
    }
  }

  /**
   * Sets PodScheduled=False/Unschedulable with `message` on the pod, unless it already says so.
   * The patch carries the pod's resourceVersion, so it never lands on a pod bound meanwhile; on
   * a conflict it is retried once against the latest version, if that is still unbound.
   */
  private async setUnschedulableCondition(pod: Pod, message: string, retry = true): Promise<void> {
    const conditions = pod.status?.conditions ?? [];
    const current = conditions.find((c) => c.type === 'PodScheduled');
    if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) return;
    const cond: Condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastProbeTime: null,
      lastTransitionTime: current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : rfc3339(this.now()),
    };
    const patch = {
      metadata: { resourceVersion: pod.metadata.resourceVersion },
      status: { conditions: [...conditions.filter((c) => c.type !== 'PodScheduled'), cond] },
    };
    const pods = this.opts.client.resource<Pod>(RESOURCES.pods);
    const name = pod.metadata.name ?? '';
    try {
      await pods.patch(pod.metadata.namespace, name, patch, 'merge', { subresource: 'status' });
    } catch (err) {
      if (retry && isConflict(err)) {
        const latest = await pods.get(pod.metadata.namespace, name).catch(() => undefined);
        if (latest && latest.metadata.uid === pod.metadata.uid && needsScheduling(latest, this.schedulerName))
          return this.setUnschedulableCondition(latest, message, false);
        return;
      }
      // gone, or a second conflict: the next attempt writes again
      this.log.debug({ pod: podKey(pod), uid: podUid(pod), err: (err as Error).message }, 'pod condition update failed');
    }
  }
}
