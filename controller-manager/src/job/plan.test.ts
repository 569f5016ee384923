import { describe, expect, it } from 'vitest';
import type { Job, JobCondition, JobSpec, JobStatus, Pod, PodPhase } from '@mk8s/shared';
import { newPod } from '@mk8s/shared/testing';
import { backoffRemainingMs, planJob } from './plan.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const NOW = T0 + 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function newJob(spec: Partial<JobSpec> = {}, status: JobStatus = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'default', uid: 'job-uid' },
    spec: { parallelism: 2, completions: 3, backoffLimit: 6, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } }, ...spec },
    status,
  };
}

let seq = 0;
function pod(phase: PodPhase, o: { restarts?: number; deleting?: boolean; ready?: boolean; finishedAt?: number } = {}): Pod {
  const p = newPod(`p${++seq}`, { phase, ...(o.ready !== undefined ? { ready: o.ready } : {}), ...(o.deleting ? { deletionTimestamp: iso(NOW) } : {}) });
  if (o.restarts) p.status!.containerStatuses = [{ name: 'main', ready: false, restartCount: o.restarts, image: 'i', imageID: '' }];
  if (o.finishedAt !== undefined) p.status!.containerStatuses = [{ name: 'main', ready: false, restartCount: 0, image: 'i', imageID: '', state: { terminated: { exitCode: 1, finishedAt: iso(o.finishedAt) } } }];
  return p;
}
const types = (c: JobCondition[] | undefined): string[] => (c ?? []).filter((x) => x.status === 'True').map((x) => `${x.type}:${x.reason ?? ''}`);
const started = { startTime: iso(T0) };
const old = NOW - 120_000;

interface Case {
  name: string;
  job: Job;
  pods: Pod[];
  create: number;
  deletes: number;
  conditions: string[];
  counts?: Partial<JobStatus>;
}

const cases: Case[] = [
  { name: 'new job starts parallelism pods', job: newJob(), pods: [], create: 2, deletes: 0, conditions: [], counts: { ready: 0 } },
  { name: 'never more than the completions left', job: newJob(), pods: [pod('Succeeded'), pod('Succeeded'), pod('Running')], create: 0, deletes: 0, conditions: [], counts: { active: 1, succeeded: 2 } },
  { name: 'one left to run', job: newJob(), pods: [pod('Succeeded'), pod('Succeeded')], create: 1, deletes: 0, conditions: [], counts: { succeeded: 2 } },
  {
    name: 'completions reached: SuccessCriteriaMet and Complete',
    job: newJob({}, started),
    pods: [pod('Succeeded'), pod('Succeeded'), pod('Succeeded')],
    create: 0,
    deletes: 0,
    conditions: ['SuccessCriteriaMet:CompletionsReached', 'Complete:CompletionsReached'],
    counts: { succeeded: 3 },
  },
  {
    name: 'work queue: one success and none active completes',
    job: newJob({ completions: undefined, parallelism: 2 }, started),
    pods: [pod('Succeeded')],
    create: 0,
    deletes: 0,
    conditions: ['SuccessCriteriaMet:CompletionsReached', 'Complete:CompletionsReached'],
  },
  { name: 'work queue: after a success no new pods', job: newJob({ completions: undefined, parallelism: 3 }, started), pods: [pod('Succeeded'), pod('Running')], create: 0, deletes: 0, conditions: [] },
  { name: 'failures within backoffLimit are replaced after the back-off', job: newJob({ backoffLimit: 1 }, started), pods: [pod('Failed', { finishedAt: old })], create: 2, deletes: 0, conditions: [], counts: { failed: 1 } },
  {
    name: 'failures over backoffLimit fail the job',
    job: newJob({ backoffLimit: 1 }, started),
    pods: [pod('Failed'), pod('Failed')],
    create: 0,
    deletes: 0,
    conditions: ['FailureTarget:BackoffLimitExceeded', 'Failed:BackoffLimitExceeded'],
    counts: { failed: 2 },
  },
  {
    name: 'backoff exceeded with a pod still running: FailureTarget first, the pod deleted',
    job: newJob({ backoffLimit: 0 }, started),
    pods: [pod('Failed'), pod('Running')],
    create: 0,
    deletes: 1,
    conditions: ['FailureTarget:BackoffLimitExceeded'],
  },
  {
    name: 'OnFailure: container restarts count toward backoffLimit',
    job: newJob({ backoffLimit: 2, completions: 1, parallelism: 1, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } }, started),
    pods: [pod('Running', { restarts: 2 })],
    create: 0,
    deletes: 1,
    conditions: ['FailureTarget:BackoffLimitExceeded'],
  },
  {
    name: 'activeDeadlineSeconds passed: DeadlineExceeded',
    job: newJob({ activeDeadlineSeconds: 30 }, started),
    pods: [pod('Running'), pod('Running')],
    create: 0,
    deletes: 2,
    conditions: ['FailureTarget:DeadlineExceeded'],
  },
  {
    name: 'deadline failure settles into Failed once pods are gone',
    job: newJob({ activeDeadlineSeconds: 30 }, { ...started, conditions: [{ type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', message: 'm' }] }),
    pods: [],
    create: 0,
    deletes: 0,
    conditions: ['FailureTarget:DeadlineExceeded', 'Failed:DeadlineExceeded'],
  },
  { name: 'terminating pods hold back Failed', job: newJob({ backoffLimit: 0 }, started), pods: [pod('Failed'), pod('Running', { deleting: true })], create: 0, deletes: 0, conditions: ['FailureTarget:BackoffLimitExceeded'], counts: { terminating: 1 } },
  { name: 'suspend deletes active pods', job: newJob({ suspend: true }, started), pods: [pod('Running'), pod('Pending')], create: 0, deletes: 2, conditions: ['Suspended:JobSuspended'] },
  { name: 'a suspended new job creates nothing and has no startTime', job: newJob({ suspend: true }), pods: [], create: 0, deletes: 0, conditions: ['Suspended:JobSuspended'] },
  { name: 'lowering parallelism deletes surplus', job: newJob({ parallelism: 1 }, started), pods: [pod('Running'), pod('Running')], create: 0, deletes: 1, conditions: [] },
  { name: 'ready pods are counted', job: newJob({}, started), pods: [pod('Running', { ready: true }), pod('Running', { ready: false })], create: 0, deletes: 0, conditions: [], counts: { active: 2, ready: 1 } },
  { name: 'counters never go down', job: newJob({}, { ...started, succeeded: 2, failed: 1 }), pods: [], create: 1, deletes: 0, conditions: [], counts: { succeeded: 2, failed: 1 } },
];

describe('planJob', () => {
  it.each(cases)('$name', (c) => {
    const plan = planJob(c.job, c.pods, NOW, 10_000);
    expect(plan.create).toBe(c.create);
    expect(plan.delete.length).toBe(c.deletes);
    expect(types(plan.status.conditions)).toEqual(c.conditions);
    if (c.counts) expect(plan.status).toMatchObject(c.counts);
  });

  it('sets startTime on the first sync and completionTime on completion', () => {
    expect(planJob(newJob(), [], NOW).status.startTime).toBe(iso(NOW));
    expect(planJob(newJob({ suspend: true }), [], NOW).status.startTime).toBeUndefined();
    const done = planJob(newJob({}, started), [pod('Succeeded'), pod('Succeeded'), pod('Succeeded')], NOW).status;
    expect(done.completionTime).toBe(iso(NOW));
  });

  it('resuming a suspended job restarts the clock and marks Suspended False', () => {
    const j = newJob({ suspend: false }, { startTime: iso(T0), conditions: [{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }] });
    const plan = planJob(j, [], NOW);
    expect(plan.status.startTime).toBe(iso(NOW));
    expect(plan.status.conditions?.[0]).toMatchObject({ type: 'Suspended', status: 'False', reason: 'JobResumed' });
    expect(plan.create).toBe(2);
  });

  it('waits out the failure back-off before replacing a failed pod', () => {
    const plan = planJob(newJob({}, started), [pod('Failed', { finishedAt: NOW - 4_000 })], NOW, 10_000);
    expect(plan.create).toBe(0);
    expect(plan.requeueAfterMs).toBe(6_000);
  });

  it('requeues for the active deadline', () => {
    expect(planJob(newJob({ activeDeadlineSeconds: 100 }, started), [pod('Running'), pod('Running')], NOW).requeueAfterMs).toBe(40_000);
  });

  it('is stable: planning again from its own status changes nothing', () => {
    const pods = [pod('Succeeded'), pod('Running', { ready: true })];
    const first = planJob(newJob(), pods, NOW);
    const again = planJob(newJob({}, first.status), pods, NOW + 1000);
    expect(again.status).toEqual(first.status);
  });
});

describe('backoffRemainingMs', () => {
  it.each([
    ['no failures', 0, 0, 0],
    ['first failure 3s ago waits 7s more', 1, NOW - 3_000, 7_000],
    ['third failure doubles twice', 3, NOW - 3_000, 37_000],
    ['long ago', 2, NOW - 600_000, 0],
  ])('%s', (_n, failed, finishedAt, want) => {
    const pods = failed ? [pod('Failed', { finishedAt })] : [];
    expect(backoffRemainingMs(pods, failed, NOW, 10_000)).toBe(want);
  });
});
