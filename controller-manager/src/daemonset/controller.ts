/**
 * DaemonSetController: one daemon pod on every node a DaemonSet's template fits (k8s
 * pkg/controller/daemon). Level-triggered: handlers only lower expectations and enqueue
 * DaemonSet keys (a node change enqueues every DaemonSet); `sync(key)` reads the caches, claims
 * the pods by selector, and — once the creations and deletions of earlier syncs have been seen —
 * creates pods on nodes that lack one and deletes misplaced, surplus, succeeded and (with
 * back-off) failed ones (`planManage`); when that round had nothing to do and the strategy is
 * RollingUpdate, it deletes old-revision pods within the maxUnavailable budget
 * (`planRollingUpdate`). Status is written through the status subresource when it changed.
 * A DaemonSet being deleted is left to the garbage collector. Failures throw (retry with backoff).
 */
import {
  isConflict,
  isNotFound,
  keyOf,
  realClock,
  selectorFromLabelSelector,
  splitKey,
  type Clock,
  type DaemonSet,
  type EventRecorder,
  type KubeObject,
  type Logger,
  type Node,
  type Pod,
  type ResourceApi,
} from '@mk8s/shared';
import { claimChildren } from '../util/claim.js';
import { Expectations } from '../util/expectations.js';
import { adoptChild, canAdoptCheck, controllerRef, releaseChild } from '../util/owner-patches.js';
import { controllerRefOf, groupOf } from '../util/pods.js';
import { createPods, deletePods, type PodControl } from '../util/pod-control.js';
import { FailedPodBackoff } from './backoff.js';
import { DAEMONSET_API_VERSION, DAEMONSET_KIND, newDaemonPod, templateHash } from './daemon-pod.js';
import { groupByNode, planManage } from './plan.js';
import { isRollingUpdate, planRollingUpdate } from './rolling.js';
import { calculateStatus, statusEqual } from './status.js';
import type { Lister } from '../util/lister.js';

const BURST = 250;

export interface DaemonSetControllerDeps {
  daemonSets: Lister<DaemonSet>;
  pods: Lister<Pod>;
  nodes: Lister<Node>;
  dsApi: ResourceApi<DaemonSet>;
  podApi: ResourceApi<Pod>;
  recorder: EventRecorder;
  logger: Logger;
  enqueue: (key: string, afterMs?: number) => void;
  clock?: Clock;
}

const nodeShape = (n: Node): string => JSON.stringify([n.metadata.labels ?? {}, n.spec ?? {}]);

export class DaemonSetController {
  readonly creations: Expectations;
  readonly deletions: Expectations;
  private readonly clock: Clock;
  private readonly podControl: PodControl;
  private readonly backoff: FailedPodBackoff;

  constructor(private readonly d: DaemonSetControllerDeps) {
    this.clock = d.clock ?? realClock;
    this.podControl = { pods: d.podApi, recorder: d.recorder };
    this.creations = new Expectations(this.clock);
    this.deletions = new Expectations(this.clock);
    this.backoff = new FailedPodBackoff(this.clock);
  }

  // ---- informer handlers: only bookkeeping and enqueueing ----

  onDaemonSetAdd = (ds: DaemonSet): void => this.d.enqueue(keyOf(ds));
  onDaemonSetUpdate = (_old: DaemonSet, ds: DaemonSet): void => this.d.enqueue(keyOf(ds));
  onDaemonSetDelete = (ds: DaemonSet): void => {
    this.creations.delete(keyOf(ds));
    this.deletions.delete(keyOf(ds));
    this.d.enqueue(keyOf(ds));
  };

  onPodAdd = (pod: Pod): void => {
    if (pod.metadata.deletionTimestamp) return this.onPodDelete(pod);
    const ds = this.resolve(pod);
    if (ds) {
      this.creations.creationObserved(keyOf(ds));
      this.d.enqueue(keyOf(ds));
    } else if (!controllerRefOf(pod)) this.enqueueMatching(pod);
  };

  onPodUpdate = (old: Pod, pod: Pod): void => {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) return this.onPodDelete(pod);
    for (const p of [old, pod]) {
      const ds = this.resolve(p);
      if (ds) this.d.enqueue(keyOf(ds));
    }
    if (!controllerRefOf(pod)) this.enqueueMatching(pod);
  };

  onPodDelete = (pod: Pod): void => {
    const ds = this.resolve(pod);
    if (!ds) return;
    this.deletions.deletionObserved(keyOf(ds), keyOf(pod));
    this.d.enqueue(keyOf(ds));
  };

  onNodeAdd = (): void => this.enqueueAll();
  onNodeDelete = (): void => this.enqueueAll();
  onNodeUpdate = (old: Node, node: Node): void => {
    if (nodeShape(old) !== nodeShape(node)) this.enqueueAll();
  };

  private enqueueAll(): void {
    for (const ds of this.d.daemonSets.list()) this.d.enqueue(keyOf(ds));
  }

  /** An orphan may be adopted by any DaemonSet in its namespace whose selector matches it. */
  private enqueueMatching(pod: Pod): void {
    for (const ds of this.d.daemonSets.list(pod.metadata.namespace)) {
      if (selectorFromLabelSelector(ds.spec.selector).matches(pod.metadata.labels)) this.d.enqueue(keyOf(ds));
    }
  }

  private resolve(pod: Pod): DaemonSet | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== DAEMONSET_KIND || groupOf(ref.apiVersion) !== 'apps') return undefined;
    const ds = this.d.daemonSets.get(pod.metadata.namespace, ref.name);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  // ---- the reconcile ----

  private satisfied(key: string): boolean {
    return this.creations.satisfied(key) && this.deletions.satisfied(key);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ds = this.d.daemonSets.get(namespace, name);
    if (!ds) {
      this.creations.delete(key);
      this.deletions.delete(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const sel = ds.spec.selector;
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      this.d.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    const nodes = this.d.nodes.list();
    const hash = templateHash(ds);
    const { claimed, error } = await claimChildren(ds, selectorFromLabelSelector(sel), this.d.pods.list(namespace), {
      canAdopt: () => canAdoptCheck(this.d.dsApi as unknown as ResourceApi<KubeObject>, ds),
      adopt: (p) => adoptChild(this.d.podApi, p, controllerRef(ds, DAEMONSET_API_VERSION, DAEMONSET_KIND)),
      release: (p) => releaseChild(this.d.podApi, p, ds.metadata.uid ?? ''),
    });
    if (error !== undefined) throw error;
    const byNode = groupByNode(claimed);

    const ready = this.satisfied(key);
    let failure: unknown;
    if (ready) failure = await this.manage(ds, key, nodes, byNode, hash);
    await this.writeStatus(ds, key, calculateStatus(ds, nodes, byNode, hash, this.clock.now(), ready));
    if (failure !== undefined) throw failure;
  }

  private async manage(ds: DaemonSet, key: string, nodes: Node[], byNode: ReturnType<typeof groupByNode>, hash: string): Promise<unknown> {
    const plan = planManage(ds, nodes, byNode);
    const toDelete = [...plan.delete];
    for (const { pod, node } of plan.failed) {
      const bkey = `${ds.metadata.uid ?? ''}/${ds.status?.observedGeneration ?? 0}/${node}`;
      const wait = this.backoff.remainingMs(bkey);
      if (wait > 0) {
        this.d.enqueue(key, wait);
        continue;
      }
      this.backoff.next(bkey);
      this.d.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} on node ${node}, will try to kill it`);
      toDelete.push(pod);
    }
    if (toDelete.length === 0 && plan.createOn.length === 0) {
      if (!isRollingUpdate(ds)) return undefined;
      return this.deletePods(ds, key, planRollingUpdate(ds, nodes, byNode, hash, this.clock.now()));
    }
    const deleteError = await this.deletePods(ds, key, toDelete);
    const createError = await this.createPods(ds, key, plan.createOn, hash);
    return deleteError ?? createError;
  }

  private async writeStatus(ds: DaemonSet, key: string, status: NonNullable<DaemonSet['status']>): Promise<void> {
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== status.numberAvailable) this.d.enqueue(key, minReady * 1000);
    if (statusEqual(ds.status, status)) return;
    try {
      await this.d.dsApi.updateStatus({ ...ds, status });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      this.d.logger.debug({ key }, 'status write conflicted; resyncing from a fresher cache');
      this.d.enqueue(key, 1000);
    }
  }

  private createPods(ds: DaemonSet, key: string, nodeNames: string[], hash: string): Promise<unknown> {
    const targets = nodeNames.slice(0, BURST);
    return createPods(this.podControl, ds, key, this.creations, targets.length, (i) => newDaemonPod(ds, targets[i]!, hash));
  }

  private deletePods(ds: DaemonSet, key: string, pods: Pod[]): Promise<unknown> {
    return deletePods(this.podControl, ds, key, this.deletions, pods.slice(0, BURST));
  }
}
