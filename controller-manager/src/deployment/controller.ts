/**
 * DeploymentController (k8s pkg/controller/deployment): level-triggered like every controller
 * here. Handlers enqueue the deployment key for deployment events, for events of ReplicaSets it
 * controls (or, for orphans, of every deployment whose selector matches), and for deletions of
 * pods of a Recreate deployment. `sync(key)` reads the caches, claims ReplicaSets, then either
 * only scales (paused deployments and scaling events) or takes one rollout step; the working copy
 * in a SyncContext follows its own writes. Errors throw and the key is retried with backoff.
 */
import { keyOf, realClock, selectorFromLabelSelector, splitKey, type Clock, type Deployment, type EventRecorder, type KubeObject, type Logger, type Pod, type ReplicaSet, type ResourceApi, type Selector } from '@mk8s/shared';
import { claimChildren } from '../util/claim.js';
import { adoptChild, canAdoptCheck, controllerRef, releaseChild } from '../util/owner-patches.js';
import { controllerRefOf, groupOf } from '../util/pods.js';
import { getCondition, hasProgressDeadline, newCondition, PAUSED, RESUMED, setCondition } from './conditions.js';
import { rolloutRecreate, rolloutRolling, syncScale } from './rollout.js';
import { findNewReplicaSet, findOldReplicaSets } from './rs-util.js';
import { isScalingEvent } from './plans.js';
import type { Lister } from '../util/lister.js';
import { SyncContext } from './sync-context.js';
import { calculateStatus } from './status.js';

export interface DeploymentControllerDeps {
  deployments: Lister<Deployment>;
  replicaSets: Lister<ReplicaSet>;
  pods: Lister<Pod>;
  deploymentApi: ResourceApi<Deployment>;
  rsApi: ResourceApi<ReplicaSet>;
  recorder: EventRecorder;
  logger: Logger;
  enqueue: (key: string, afterMs?: number) => void;
  clock?: Clock;
}

function selectorOf(d: Deployment): Selector | undefined {
  try {
    const s = selectorFromLabelSelector(d.spec.selector);
    return s.empty() ? undefined : s;
  } catch {
    return undefined;
  }
}

export class DeploymentController {
  private readonly clock: Clock;

  constructor(private readonly d: DeploymentControllerDeps) {
    this.clock = d.clock ?? realClock;
  }

  // ---- handlers ----

  onDeployment = (obj: Deployment): void => this.d.enqueue(keyOf(obj));
  onDeploymentUpdate = (_old: Deployment, obj: Deployment): void => this.d.enqueue(keyOf(obj));

  onRSAdd = (rs: ReplicaSet): void => {
    if (rs.metadata.deletionTimestamp) return this.onRSDelete(rs);
    const owner = this.resolveDeployment(rs);
    if (owner) return this.d.enqueue(keyOf(owner));
    if (!controllerRefOf(rs)) for (const d of this.matchingDeployments(rs)) this.d.enqueue(keyOf(d));
  };

  onRSUpdate = (old: ReplicaSet, rs: ReplicaSet): void => {
    if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const oldRef = controllerRefOf(old);
    const newRef = controllerRefOf(rs);
    const refChanged = oldRef?.uid !== newRef?.uid;
    if (refChanged && oldRef) {
      const prev = this.resolveDeployment(old);
      if (prev) this.d.enqueue(keyOf(prev));
    }
    if (newRef) {
      const owner = this.resolveDeployment(rs);
      if (owner) this.d.enqueue(keyOf(owner));
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(rs.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.matchingDeployments(rs)) this.d.enqueue(keyOf(d));
  };

  onRSDelete = (rs: ReplicaSet): void => {
    const owner = this.resolveDeployment(rs);
    if (owner) this.d.enqueue(keyOf(owner));
  };

  onPodDelete = (pod: Pod): void => {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.d.replicaSets.get(pod.metadata.namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const owner = this.resolveDeployment(rs);
    if (owner?.spec.strategy?.type === 'Recreate') this.d.enqueue(keyOf(owner));
  };

  private resolveDeployment(rs: ReplicaSet): Deployment | undefined {
    const ref = controllerRefOf(rs);
    if (!ref || ref.kind !== 'Deployment' || groupOf(ref.apiVersion) !== 'apps') return undefined;
    const d = this.d.deployments.get(rs.metadata.namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private matchingDeployments(rs: ReplicaSet): Deployment[] {
    return this.d.deployments.list(rs.metadata.namespace).filter((d) => selectorOf(d)?.matches(rs.metadata.labels) ?? false);
  }

  // ---- sync ----

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.d.deployments.get(namespace, name);
    if (!cached) return;
    const s = new SyncContext(structuredClone(cached), key, {
      deploymentApi: this.d.deploymentApi,
      rsApi: this.d.rsApi,
      replicaSets: this.d.replicaSets,
      pods: this.d.pods,
      recorder: this.d.recorder,
      logger: this.d.logger.child({ deployment: key }),
      now: () => this.clock.now(),
      enqueueAfter: (k, ms) => this.d.enqueue(k, ms),
    });
    const selector = selectorOf(s.d);
    if (!selector) {
      this.d.recorder.event(s.d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((s.d.status?.observedGeneration ?? 0) < (s.d.metadata.generation ?? 0)) await s.writeStatus({ ...s.d.status, observedGeneration: s.d.metadata.generation ?? 0 });
      return;
    }
    const rsList = await this.claimReplicaSets(s.d, selector);
    if (s.d.metadata.deletionTimestamp) {
      const newRS = findNewReplicaSet(s.d, rsList);
      await s.writeStatus(calculateStatus(s.d, rsList, newRS, s.now()));
      return;
    }
    await this.checkPausedConditions(s);
    if (s.d.spec.paused) return syncScale(s, rsList);
    const newRS = findNewReplicaSet(s.d, rsList);
    if (isScalingEvent(s.d, newRS, findOldReplicaSets(newRS, rsList))) return syncScale(s, rsList);
    if (s.d.spec.strategy?.type === 'Recreate') return rolloutRecreate(s, rsList);
    return rolloutRolling(s, rsList);
  }

  private async claimReplicaSets(d: Deployment, selector: Selector): Promise<ReplicaSet[]> {
    const ref = controllerRef(d, 'apps/v1', 'Deployment');
    const { claimed, error } = await claimChildren(d, selector, this.d.replicaSets.list(d.metadata.namespace), {
      canAdopt: () => canAdoptCheck(this.d.deploymentApi as unknown as ResourceApi<KubeObject>, d),
      adopt: (rs) => adoptChild(this.d.rsApi, rs, ref),
      release: (rs) => releaseChild(this.d.rsApi, rs, d.metadata.uid ?? ''),
    });
    if (error !== undefined) throw error;
    return claimed;
  }

  /** Progressing=Unknown with reason DeploymentPaused / DeploymentResumed as the deployment is paused or resumed. */
  private async checkPausedConditions(s: SyncContext): Promise<void> {
    if (!hasProgressDeadline(s.d)) return;
    const pausedCond = getCondition(s.d.status, 'Progressing')?.reason === PAUSED;
    if (s.d.spec.paused && !pausedCond) {
      await s.writeStatus(setCondition(s.d.status ?? {}, newCondition('Progressing', 'Unknown', PAUSED, 'Deployment is paused', s.now())));
    } else if (!s.d.spec.paused && pausedCond) {
      await s.writeStatus(setCondition(s.d.status ?? {}, newCondition('Progressing', 'Unknown', RESUMED, 'Deployment is resumed', s.now())));
    }
  }
}
