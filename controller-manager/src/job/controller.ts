/**
 * JobController: runs every batch/v1 Job's pods to completion. Level-triggered: informer
 * handlers only lower expectations and enqueue the owning Job's key; `sync(key)` reads the
 * caches, claims the Job's pods, asks `planJob` what to do, creates or deletes pods only when
 * the expectations of earlier rounds are met (slow-start batches for creates), writes status
 * through the status subresource when it changed, and deletes a finished Job whose
 * ttlSecondsAfterFinished has passed (its pods go with it through the garbage collector).
 * Finished pods are never deleted here. A sync that fails throws and is retried with backoff.
 */
import {
  isConflict,
  isNotFound,
  keyOf,
  realClock,
  selectorFromLabelSelector,
  splitKey,
  type Clock,
  type EventRecorder,
  type Job,
  type JobStatus,
  type KubeObject,
  type Logger,
  type Pod,
  type ResourceApi,
} from '@mk8s/shared';
import { claimChildren } from '../util/claim.js';
import { Expectations } from '../util/expectations.js';
import { adoptChild, canAdoptCheck, controllerRef, releaseChild } from '../util/owner-patches.js';
import { controllerRefOf, groupOf, isPodActive, podFromTemplate } from '../util/pods.js';
import { createPods, deletePods, type PodControl } from '../util/pod-control.js';
import { finishedAtMs, isJobFinished } from './conditions.js';
import { DEFAULT_BACKOFF_BASE_MS, planJob } from './plan.js';
import { statusEqual } from './status-equal.js';
import type { Lister } from '../util/lister.js';

export const JOB_API_VERSION = 'batch/v1';
export const JOB_KIND = 'Job';
const BURST = 500;

export interface JobControllerDeps {
  jobs: Lister<Job>;
  pods: Lister<Pod>;
  jobApi: ResourceApi<Job>;
  podApi: ResourceApi<Pod>;
  recorder: EventRecorder;
  logger: Logger;
  enqueue: (key: string, afterMs?: number) => void;
  clock?: Clock;
  /** first pod-failure back-off (k8s: 10s) */
  backoffBaseMs?: number;
}

export class JobController {
  readonly expectations: Expectations;
  private readonly clock: Clock;
  private readonly podControl: PodControl;

  constructor(private readonly d: JobControllerDeps) {
    this.clock = d.clock ?? realClock;
    this.podControl = { pods: d.podApi, recorder: d.recorder };
    this.expectations = new Expectations(this.clock);
  }

  // ---- informer handlers: only bookkeeping and enqueueing ----

  onJobAdd = (j: Job): void => this.d.enqueue(keyOf(j));
  onJobUpdate = (_old: Job, j: Job): void => this.d.enqueue(keyOf(j));
  onJobDelete = (j: Job): void => {
    this.expectations.delete(keyOf(j));
    this.d.enqueue(keyOf(j));
  };

  onPodAdd = (pod: Pod): void => {
    if (pod.metadata.deletionTimestamp) return this.onPodDelete(pod);
    const job = this.resolveJob(pod);
    if (!job) return;
    this.expectations.creationObserved(keyOf(job));
    this.d.enqueue(keyOf(job));
  };

  onPodUpdate = (old: Pod, pod: Pod): void => {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) return this.onPodDelete(pod);
    for (const p of [old, pod]) {
      const job = this.resolveJob(p);
      if (job) this.d.enqueue(keyOf(job));
    }
  };

  onPodDelete = (pod: Pod): void => {
    const job = this.resolveJob(pod);
    if (!job) return;
    this.expectations.deletionObserved(keyOf(job), keyOf(pod));
    this.d.enqueue(keyOf(job));
  };

  private resolveJob(pod: Pod): Job | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== JOB_KIND || groupOf(ref.apiVersion) !== 'batch') return undefined;
    const job = this.d.jobs.get(pod.metadata.namespace, ref.name);
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  // ---- the reconcile ----

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const job = this.d.jobs.get(namespace, name);
    if (!job) {
      this.expectations.delete(key);
      return;
    }
    if (isJobFinished(job)) return this.expireAfterTtl(job, key);
    if (job.metadata.deletionTimestamp) return;
    const needsSync = this.expectations.satisfied(key);
    const selector = selectorFromLabelSelector(job.spec.selector);
    const candidates = this.d.pods.list(namespace).filter((p) => isPodActive(p) || controllerRefOf(p)?.uid === job.metadata.uid);
    const { claimed, error } = await claimChildren(job, selector, candidates, {
      canAdopt: () => canAdoptCheck(this.d.jobApi as unknown as ResourceApi<KubeObject>, job),
      adopt: (p) => adoptChild(this.d.podApi, p, controllerRef(job, JOB_API_VERSION, JOB_KIND)),
      release: (p) => releaseChild(this.d.podApi, p, job.metadata.uid ?? ''),
    });
    if (error !== undefined) throw error;

    const plan = planJob(job, claimed, this.clock.now(), this.d.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS);
    let failure: unknown;
    if (needsSync) failure = (await this.deletePods(job, key, plan.delete)) ?? (await this.createPods(job, key, plan.create));
    if (!statusEqual(job.status, plan.status)) {
      await this.writeStatus(job, key, plan.status);
      this.recordFinish(job, plan.status);
    }
    if (plan.requeueAfterMs !== undefined) this.d.enqueue(key, plan.requeueAfterMs + 50);
    if (failure !== undefined) throw failure;
  }

  /** The events Kubernetes records when a Job finishes: Normal Completed, or a Warning with the failure reason. */
  private recordFinish(job: Job, status: JobStatus): void {
    const now = { ...job, status };
    if (isJobFinished(job) || !isJobFinished(now)) return;
    const failed = status.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    if (failed) this.d.recorder.event(job, 'Warning', failed.reason ?? 'Failed', failed.message ?? '');
    else this.d.recorder.event(job, 'Normal', 'Completed', 'Job completed');
  }

  /**
   * PUT status with the cached resourceVersion. A conflict means the cache is behind a newer
   * Job (often our own last write): the watch event for it resyncs the key, so the status is
   * recomputed from fresher state rather than forced over it.
   */
  private async writeStatus(job: Job, key: string, status: JobStatus): Promise<void> {
    try {
      await this.d.jobApi.updateStatus({ ...job, status });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      this.d.logger.debug({ key }, 'status write conflicted; resyncing from a fresher cache');
      this.d.enqueue(key, 1000);
    }
  }

  private createPods(job: Job, key: string, n: number): Promise<unknown> {
    const template = podFromTemplate(job, job.spec.template, JOB_API_VERSION, JOB_KIND);
    return createPods(this.podControl, job, key, this.expectations, Math.min(n, BURST), () => structuredClone(template));
  }

  private deletePods(job: Job, key: string, pods: Pod[]): Promise<unknown> {
    return deletePods(this.podControl, job, key, this.expectations, pods);
  }

  /** ttlSecondsAfterFinished: delete the finished Job once its time is up (k8s TTL-after-finished controller). */
  private async expireAfterTtl(job: Job, key: string): Promise<void> {
    const ttl = job.spec.ttlSecondsAfterFinished;
    if (ttl === undefined || job.metadata.deletionTimestamp) return;
    const finished = finishedAtMs(job) ?? this.clock.now();
    const left = finished + ttl * 1000 - this.clock.now();
    if (left > 0) {
      this.d.enqueue(key, left + 50);
      return;
    }
    try {
      await this.d.jobApi.delete(job.metadata.namespace, job.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid } });
      this.d.logger.info({ key }, 'finished job deleted after ttl');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
