/**
 * planJob: the job controller's whole decision for one sync, as a pure function of the Job,
 * the pods it controls and the time (k8s JobController.syncJob + manageJob, NonIndexed only).
 * - failure first: an earlier FailureTarget, more failed pods than backoffLimit (with
 *   restartPolicy OnFailure, container restarts of active pods count too), or
 *   activeDeadlineSeconds passed since startTime. Active pods are deleted; FailureTarget is set
 *   at once and Failed once no pod is active or terminating.
 * - then success: `completions` pods succeeded (a work queue without completions: one pod
 *   succeeded and none is active). SuccessCriteriaMet at once, Complete and completionTime once
 *   no pod is active or terminating; surplus active pods are deleted.
 * - suspend deletes active pods and sets Suspended; resuming sets it False and restarts the clock.
 * - otherwise pods are created up to min(parallelism, completions - succeeded), after an
 *   exponential back-off (base * 2^(failed-1), capped) since the last pod failure.
 * Counters never go down: succeeded/failed are the larger of the status and the pods seen.
 * Finished pods are never deleted here (the garbage collector removes them with the Job).
 */
import type { Job, JobCondition, JobStatus, Pod } from '@mk8s/shared';
import { isPodActive, isPodReady, podsToDelete } from '../util/pods.js';
import * as c from './conditions.js';

export const DEFAULT_BACKOFF_BASE_MS = 10_000;
export const MAX_BACKOFF_MS = 6 * 60_000;

export interface JobPlan {
  status: JobStatus;
  /** pods to create now */
  create: number;
  /** active pods to delete now */
  delete: Pod[];
  /** sync again after this long (deadline or back-off), if set */
  requeueAfterMs?: number;
}

const isTerminating = (p: Pod): boolean =>
  !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** Sum of container restarts of active pods (k8s pastBackoffLimitOnFailure). */
export function restartsOf(active: Pod[]): number {
  return active.reduce(
    (sum, p) => sum + [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].reduce((s, cs) => s + (cs.restartCount ?? 0), 0),
    0,
  );
}

export function exceedsBackoffLimit(job: Job, failed: number, active: Pod[]): boolean {
  const limit = job.spec.backoffLimit ?? 6;
  if (failed > limit) return true;
  if (job.spec.template.spec.restartPolicy !== 'OnFailure') return false;
  const restarts = restartsOf(active);
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** When a failed pod finished: its latest container termination, else its last condition change. */
export function podFinishedAtMs(pod: Pod): number {
  const times = [
    ...(pod.status?.containerStatuses ?? []).map((s) => s.state?.terminated?.finishedAt),
    ...(pod.status?.conditions ?? []).map((x) => x.lastTransitionTime),
    pod.metadata.creationTimestamp,
  ]
    .filter((t): t is string => typeof t === 'string')
    .map((t) => Date.parse(t))
    .filter((t) => !Number.isNaN(t));
  return times.length ? Math.max(...times) : 0;
}

/** Ms still to wait before creating a replacement after `failed` failures (0 = now). */
export function backoffRemainingMs(failedPods: Pod[], failed: number, nowMs: number, baseMs: number): number {
  if (failed === 0 || failedPods.length === 0) return 0;
  const delay = Math.min(baseMs * 2 ** (failed - 1), MAX_BACKOFF_MS);
  const last = Math.max(...failedPods.map(podFinishedAtMs));
  return Math.max(0, last + delay - nowMs);
}

function failureOf(job: Job, failed: number, active: Pod[], startMs: number | undefined, nowMs: number): [string, string] | undefined {
  const target = c.findCondition(job.status?.conditions, 'FailureTarget');
  if (target?.status === 'True') return [target.reason ?? c.REASON_BACKOFF, target.message ?? c.MESSAGE_BACKOFF];
  if (exceedsBackoffLimit(job, failed, active)) return [c.REASON_BACKOFF, c.MESSAGE_BACKOFF];
  const ads = job.spec.activeDeadlineSeconds;
  if (ads !== undefined && startMs !== undefined && nowMs >= startMs + ads * 1000) return [c.REASON_DEADLINE, c.MESSAGE_DEADLINE];
  return undefined;
}

export function planJob(job: Job, pods: Pod[], nowMs: number, backoffBaseMs = DEFAULT_BACKOFF_BASE_MS): JobPlan {
  const now = new Date(nowMs).toISOString();
  const prev = job.status ?? {};
  const active = pods.filter(isPodActive);
  const terminating = pods.filter(isTerminating).length;
  const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
  const succeeded = Math.max(prev.succeeded ?? 0, pods.filter((p) => p.status?.phase === 'Succeeded').length);
  const failed = Math.max(prev.failed ?? 0, failedPods.length);
  const suspended = job.spec.suspend === true;
  let conditions: JobCondition[] = prev.conditions ?? [];
  let startTime = prev.startTime;
  if (!suspended && c.isConditionTrue(conditions, 'Suspended')) {
    conditions = c.setCondition(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
    startTime = now;
  }
  if (!startTime && !suspended) startTime = now;
  const startMs = startTime ? Date.parse(startTime) : undefined;

  let completionTime = prev.completionTime;
  let create = 0;
  let del: Pod[] = [];
  let requeueAfterMs: number | undefined;
  const parallelism = job.spec.parallelism ?? 1;
  const completions = job.spec.completions;
  const failure = failureOf(job, failed, active, startMs, nowMs);
  const done = completions != null ? succeeded >= completions : succeeded > 0 && active.length === 0;
  const settled = (): boolean => active.length === 0 && terminating === 0;

  if (failure) {
    conditions = c.setCondition(conditions, 'FailureTarget', 'True', failure[0], failure[1], now);
    del = active;
    if (settled()) conditions = c.setCondition(conditions, 'Failed', 'True', failure[0], failure[1], now);
  } else if (done) {
    conditions = c.setCondition(conditions, 'SuccessCriteriaMet', 'True', c.REASON_COMPLETIONS, c.MESSAGE_COMPLETIONS, now);
    del = active;
    if (settled()) {
      conditions = c.setCondition(conditions, 'Complete', 'True', c.REASON_COMPLETIONS, c.MESSAGE_COMPLETIONS, now);
      completionTime ??= now;
    }
  } else if (suspended) {
    del = active;
    conditions = c.setCondition(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
  } else {
    const want = completions != null ? Math.max(0, Math.min(parallelism, completions - succeeded)) : succeeded > 0 ? active.length : parallelism;
    if (active.length > want) del = podsToDelete(active, active.length - want);
    else if (active.length < want) {
      const wait = backoffRemainingMs(failedPods, failed, nowMs, backoffBaseMs);
      if (wait > 0) requeueAfterMs = wait;
      else create = want - active.length;
    }
    const ads = job.spec.activeDeadlineSeconds;
    if (ads !== undefined && startMs !== undefined) {
      const left = startMs + ads * 1000 - nowMs;
      requeueAfterMs = Math.min(requeueAfterMs ?? left, left);
    }
  }

  const status: JobStatus = {};
  if (conditions.length) status.conditions = conditions;
  if (startTime) status.startTime = startTime;
  if (completionTime) status.completionTime = completionTime;
  const stillActive = active.length - del.length;
  if (stillActive > 0) status.active = stillActive;
  if (succeeded > 0) status.succeeded = succeeded;
  if (failed > 0) status.failed = failed;
  status.terminating = terminating + del.length;
  status.ready = active.filter((p) => !del.includes(p) && isPodReady(p)).length;
  status.uncountedTerminatedPods = {};
  const plan: JobPlan = { status, create, delete: del };
  if (requeueAfterMs !== undefined) plan.requeueAfterMs = requeueAfterMs;
  return plan;
}
