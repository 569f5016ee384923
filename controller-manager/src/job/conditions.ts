/**
 * Job conditions as the k8s job controller writes them: each type at most once, a change of
 * status or reason moves lastTransitionTime, and the reasons and messages kubectl and users
 * look for (BackoffLimitExceeded, DeadlineExceeded, CompletionsReached, JobSuspended,
 * JobResumed). Pure helpers over copies; never mutate their inputs.
 */
import type { Job, JobCondition, JobConditionType } from '@mk8s/shared';

export const REASON_BACKOFF = 'BackoffLimitExceeded';
export const MESSAGE_BACKOFF = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE = 'DeadlineExceeded';
export const MESSAGE_DEADLINE = 'Job was active longer than specified deadline';
export const REASON_COMPLETIONS = 'CompletionsReached';
export const MESSAGE_COMPLETIONS = 'Reached expected number of succeeded pods';

export function findCondition(conditions: JobCondition[] | undefined, type: JobConditionType): JobCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(conditions: JobCondition[] | undefined, type: JobConditionType): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/** A job is finished once it has a true Complete or Failed condition. */
export function isJobFinished(job: Job): boolean {
  return isConditionTrue(job.status?.conditions, 'Complete') || isConditionTrue(job.status?.conditions, 'Failed');
}

/** When the job finished (the Complete/Failed condition's transition time), in ms. */
export function finishedAtMs(job: Job): number | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/** The conditions with `type` set; unchanged (same array) when status, reason and message already match. */
export function setCondition(
  conditions: JobCondition[],
  type: JobConditionType,
  status: JobCondition['status'],
  reason: string,
  message: string,
  now: string,
): JobCondition[] {
  const old = findCondition(conditions, type);
  if (old && old.status === status && old.reason === reason && old.message === message) return conditions;
  const next: JobCondition = { type, status, reason, message, lastProbeTime: now, lastTransitionTime: old && old.status === status ? (old.lastTransitionTime ?? now) : now };
  return old ? conditions.map((c) => (c.type === type ? next : c)) : [...conditions, next];
}
