/**
 * ReplicaController: keeps `spec.replicas` active pods for every ReplicaSet or
 * ReplicationController (one implementation, a `KindAdapter` per kind). Level-triggered:
 * informer handlers only lower expectations and enqueue owner keys; `sync(key)` reads the caches,
 * claims pods (adopt orphans, release mismatches), runs one create/delete round when the
 * expectations of earlier rounds are met, and writes status through the status subresource only
 * when it changed. A sync that fails throws, and the key is retried with backoff.
 */
import {
  isConflict,
  keyOf,
  realClock,
  splitKey,
  type Clock,
  type EventRecorder,
  type KubeObject,
  type Logger,
  type Pod,
  type ResourceApi,
} from '@mk8s/shared';
import { claimChildren } from '../util/claim.js';
import { Expectations } from '../util/expectations.js';
import { adoptChild, canAdoptCheck, controllerRef, releaseChild } from '../util/owner-patches.js';
import { controllerRefOf, groupOf, isPodActive, isPodReady } from '../util/pods.js';
import type { KindAdapter, ReplicaOwner } from './adapter.js';
import { manageReplicas } from './manage.js';
import { calculateStatus, statusEqual, type ReplicaFailure } from './status.js';
import type { Lister } from '../util/lister.js';

export interface ReplicaControllerDeps {
  adapter: KindAdapter;
  owners: Lister<ReplicaOwner>;
  pods: Lister<Pod>;
  ownerApi: ResourceApi<ReplicaOwner>;
  podApi: ResourceApi<Pod>;
  recorder: EventRecorder;
  logger: Logger;
  /** called with an owner key to sync (the work queue's add / addAfter) */
  enqueue: (key: string, afterMs?: number) => void;
  clock?: Clock;
}

export class ReplicaController {
  readonly expectations: Expectations;
  private readonly clock: Clock;

  constructor(private readonly d: ReplicaControllerDeps) {
    this.clock = d.clock ?? realClock;
    this.expectations = new Expectations(this.clock);
  }

  // ---- informer handlers: only bookkeeping and enqueueing ----

  onOwnerAdd = (o: ReplicaOwner): void => this.d.enqueue(keyOf(o));
  onOwnerUpdate = (_old: ReplicaOwner, o: ReplicaOwner): void => this.d.enqueue(keyOf(o));
  onOwnerDelete = (o: ReplicaOwner): void => {
    this.expectations.delete(keyOf(o));
    this.d.enqueue(keyOf(o));
  };

  onPodAdd = (pod: Pod): void => {
    if (pod.metadata.deletionTimestamp) return this.onPodDelete(pod);
    const owner = this.resolveOwner(pod);
    if (owner) {
      this.expectations.creationObserved(keyOf(owner));
      this.d.enqueue(keyOf(owner));
      return;
    }
    if (!controllerRefOf(pod)) for (const o of this.matchingOwners(pod)) this.d.enqueue(keyOf(o));
  };

  onPodUpdate = (old: Pod, pod: Pod): void => {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    if (pod.metadata.deletionTimestamp) {
      this.onPodDelete(pod);
      if (labelsChanged) this.onPodDelete(old);
      return;
    }
    const oldRef = controllerRefOf(old);
    const newRef = controllerRefOf(pod);
    const refChanged = oldRef?.uid !== newRef?.uid;
    if (refChanged && oldRef) {
      const prev = this.resolveOwner(old);
      if (prev) this.d.enqueue(keyOf(prev));
    }
    if (newRef) {
      const owner = this.resolveOwner(pod);
      if (!owner) return;
      const key = keyOf(owner);
      this.d.enqueue(key);
      const minReady = owner.spec.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) this.d.enqueue(key, minReady * 1000 + 100);
      return;
    }
    if (labelsChanged || refChanged) for (const o of this.matchingOwners(pod)) this.d.enqueue(keyOf(o));
  };

  onPodDelete = (pod: Pod): void => {
    const owner = this.resolveOwner(pod);
    if (!owner) return;
    const key = keyOf(owner);
    this.expectations.deletionObserved(key, keyOf(pod));
    this.d.enqueue(key);
  };

  /** The cached owner the pod's controller reference points at (same kind and uid), if any. */
  private resolveOwner(pod: Pod): ReplicaOwner | undefined {
    const ref = controllerRefOf(pod);
    const a = this.d.adapter;
    if (!ref || ref.kind !== a.kind || groupOf(ref.apiVersion) !== groupOf(a.apiVersion)) return undefined;
    const owner = this.d.owners.get(pod.metadata.namespace, ref.name);
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  }

  private matchingOwners(pod: Pod): ReplicaOwner[] {
    return this.d.owners.list(pod.metadata.namespace).filter((o) => this.d.adapter.selector(o).matches(pod.metadata.labels));
  }

  // ---- the reconcile ----

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const owner = this.d.owners.get(namespace, name);
    if (!owner) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = this.d.adapter.selector(owner);
    const active = this.d.pods.list(namespace).filter(isPodActive);
    const ref = controllerRef(owner, this.d.adapter.apiVersion, this.d.adapter.kind);
    const { claimed, error: claimError } = await claimChildren(owner, selector, active, {
      canAdopt: () => canAdoptCheck(this.d.ownerApi as unknown as ResourceApi<KubeObject>, owner),
      adopt: (p) => adoptChild(this.d.podApi, p, ref),
      release: (p) => releaseChild(this.d.podApi, p, owner.metadata.uid ?? ''),
    });
    if (claimError !== undefined) throw claimError;

    let failure: ReplicaFailure | undefined;
    if (needsSync && !owner.metadata.deletionTimestamp) {
      failure = await manageReplicas(owner, key, claimed, {
        pods: this.d.podApi,
        expectations: this.expectations,
        recorder: this.d.recorder,
        logger: this.d.logger,
        adapter: this.d.adapter,
      });
    }
    const status = calculateStatus(owner, claimed, failure, this.clock.now());
    await this.writeStatus(owner, status);
    const minReady = owner.spec.minReadySeconds ?? 0;
    const want = owner.spec.replicas ?? 1;
    if (!failure && minReady > 0 && status.readyReplicas === want && status.availableReplicas !== want) this.d.enqueue(key, minReady * 1000);
    if (failure) throw new Error(`${failure.reason}: ${failure.message}`);
  }

  /** PUT status with the cached resourceVersion; on a conflict, once more on a fresh read. */
  private async writeStatus(owner: ReplicaOwner, status: ReturnType<typeof calculateStatus>): Promise<void> {
    if (statusEqual(owner.status, status)) return;
    try {
      await this.d.ownerApi.updateStatus({ ...owner, status });
    } catch (err) {
      if (!isConflict(err)) throw err;
      const fresh = await this.d.ownerApi.get(owner.metadata.namespace, owner.metadata.name ?? '');
      if (fresh.metadata.uid !== owner.metadata.uid) return;
      if (!statusEqual(fresh.status, status)) await this.d.ownerApi.updateStatus({ ...fresh, status });
    }
  }
}
