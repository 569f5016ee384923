import { EventRecorder, RESOURCES, silentLogger, type Job, type JobSpec, type Pod } from '@mk8s/shared';
import { FakeClient, FakeClock } from '@mk8s/shared/testing';
import { describe, expect, it } from 'vitest';
import { MapLister } from '../util/map-lister.js';
import { JobController } from './controller.js';

function newJob(name: string, spec: Partial<JobSpec> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      parallelism: 2,
      completions: 3,
      backoffLimit: 6,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'pending' } },
      template: { metadata: { labels: { 'batch.kubernetes.io/job-name': name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1' }] } },
      ...spec,
    },
  };
}

async function setup(job: Job) {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  const jobApi = client.resource<Job>(RESOURCES.jobs);
  const podApi = client.resource<Pod>(RESOURCES.pods);
  let created = await jobApi.create(job);
  // the generated selector, as the apiserver's defaulting writes it
  created.spec.selector = { matchLabels: { 'batch.kubernetes.io/job-name': job.metadata.name ?? '' } };
  created = await jobApi.update(created);
  const jobs = new MapLister<Job>([created]);
  const pods = new MapLister<Pod>();
  const enqueued: [string, number | undefined][] = [];
  const c = new JobController({
    jobs,
    pods,
    jobApi,
    podApi,
    recorder: new EventRecorder({ client, component: 'test', clock }),
    logger: silentLogger(),
    enqueue: (k, ms) => enqueued.push([k, ms]),
    clock,
    backoffBaseMs: 1000,
  });
  client.clearActions();
  const writes = (resource: string) => client.actions.filter((a) => a.resource === resource && a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch');
  /** the "cache" catches up with the fake apiserver, through the handlers */
  const observe = async () => {
    pods.catchUp((await podApi.list('default')).items, { onAdd: c.onPodAdd, onUpdate: c.onPodUpdate, onDelete: c.onPodDelete });
    jobs.set(await jobApi.get('default', job.metadata.name ?? ''));
  };
  const setPhase = async (phase: 'Succeeded' | 'Failed' | 'Running') => {
    for (const p of (await podApi.list('default')).items) if (p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed') await podApi.updateStatus({ ...p, status: { phase } });
  };
  return { client, clock, c, jobApi, podApi, jobs, pods, enqueued, writes, observe, setPhase, job: created };
}

describe('JobController', () => {
  it('creates parallelism pods owned by the Job and writes startTime', async () => {
    const s = await setup(newJob('j'));
    await s.c.sync('default/j');
    const creates = s.writes('pods').filter((a) => a.verb === 'create');
    expect(creates).toHaveLength(2);
    const body = creates[0]!.body as Pod;
    expect(body.metadata.generateName).toBe('j-');
    expect(body.metadata.labels).toEqual({ 'batch.kubernetes.io/job-name': 'j' });
    expect(body.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: s.job.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const status = (await s.jobApi.get('default', 'j')).status;
    expect(status?.startTime).toBe(new Date(s.clock.now()).toISOString());
  });

  it('waits for its creations to be observed before creating again', async () => {
    const s = await setup(newJob('j'));
    await s.c.sync('default/j');
    // the cache still holds the job without status: the status write conflicts and resyncs later
    await s.c.sync('default/j');
    expect(s.writes('pods').filter((a) => a.verb === 'create')).toHaveLength(2);
    expect(s.enqueued).toContainEqual(['default/j', 1000]);
  });

  it('runs to completion: 3 succeeded pods, then Complete', async () => {
    const s = await setup(newJob('j'));
    for (let round = 0; round < 4; round++) {
      await s.c.sync('default/j');
      await s.observe();
      await s.setPhase('Succeeded');
      await s.observe();
    }
    await s.c.sync('default/j');
    const j = await s.jobApi.get('default', 'j');
    expect(j.status).toMatchObject({ succeeded: 3 });
    expect(j.status?.conditions?.map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(s.writes('pods').filter((a) => a.verb === 'create')).toHaveLength(3);
    expect(s.writes('pods').filter((a) => a.verb === 'delete')).toHaveLength(0);
  });

  it('fails past the backoff limit and deletes no finished pod', async () => {
    const s = await setup(newJob('j', { parallelism: 1, completions: 1, backoffLimit: 0 }));
    await s.c.sync('default/j');
    await s.observe();
    await s.setPhase('Failed');
    await s.observe();
    await s.c.sync('default/j');
    const j = await s.jobApi.get('default', 'j');
    expect(j.status?.conditions?.filter((c) => c.status === 'True').map((c) => `${c.type}:${c.reason}`)).toEqual(['FailureTarget:BackoffLimitExceeded', 'Failed:BackoffLimitExceeded']);
    expect(j.status?.failed).toBe(1);
    expect(s.writes('pods').filter((a) => a.verb === 'delete')).toHaveLength(0);
  });

  it('suspending deletes the active pods', async () => {
    const s = await setup(newJob('j'));
    await s.c.sync('default/j');
    await s.observe();
    await s.setPhase('Running');
    await s.jobApi.update({ ...(await s.jobApi.get('default', 'j')), spec: { ...s.job.spec, suspend: true } });
    await s.observe();
    await s.c.sync('default/j');
    expect(s.writes('pods').filter((a) => a.verb === 'delete')).toHaveLength(2);
    expect((await s.jobApi.get('default', 'j')).status?.conditions?.[0]).toMatchObject({ type: 'Suspended', status: 'True', reason: 'JobSuspended' });
  });

  it.each([
    ['ttl 0 deletes the finished job at once', 0, 1, undefined],
    ['ttl 60 waits and requeues', 60, 0, 60_050],
  ])('%s', async (_name, ttl, deletes, requeue) => {
    const s = await setup(newJob('j', { ttlSecondsAfterFinished: ttl }));
    const now = new Date(s.clock.now()).toISOString();
    await s.jobApi.updateStatus({ ...s.job, status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: now }] } });
    await s.observe();
    s.client.clearActions();
    await s.c.sync('default/j');
    const del = s.writes('jobs').filter((a) => a.verb === 'delete');
    expect(del).toHaveLength(deletes);
    if (deletes) expect(del[0]!.body).toMatchObject({ propagationPolicy: 'Background' });
    expect(s.enqueued.find(([, ms]) => ms !== undefined)?.[1]).toBe(requeue);
  });
});
