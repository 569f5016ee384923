/**
 * batch/v1 Jobs end to end with real Docker: the Job controller runs pods to completion
 * (completions/parallelism), fails a job past its backoffLimit, deletes a finished job after
 * ttlSecondsAfterFinished, and stock kubectl 1.33 creates, waits for, reads logs of and lists jobs.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, RESOURCES, type Job, type Pod } from '@mk8s/shared';
import { kubectlBinary, startCluster, waitFor, type TestCluster } from '@mk8s/shared/testing';

const KUBECTL = kubectlBinary('1.33');
let c: TestCluster;

beforeAll(async () => {
  c = await startCluster({ id: 180, nodes: 1 });
});
afterAll(async () => {
  await c?.stop();
});

const jobs = () => c.cp.client.resource<Job>(RESOURCES.jobs);
const pods = () => c.cp.client.resource<Pod>(RESOURCES.pods);
const kubectl = (...args: string[]): string => execFileSync(KUBECTL, ['--kubeconfig', c.cp.kubeconfigFor('admin'), ...args], { encoding: 'utf8', timeout: 120_000 });
const condition = (j: Job, type: string) => j.status?.conditions?.find((x) => x.type === type && x.status === 'True');
const jobPods = async (name: string) => (await pods().list('default', { labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;

function job(name: string, script: string, spec: Partial<Job['spec']> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'main', image: 'mk8s/busybox:1', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }],
        },
      },
      ...spec,
    },
  };
}

async function finished(name: string): Promise<Job> {
  let last: Job | undefined;
  await waitFor(
    async () => {
      last = await jobs().get('default', name);
      return !!(condition(last, 'Complete') || condition(last, 'Failed'));
    },
    { timeoutMs: 120_000, message: `job ${name} never finished` },
  );
  return last!;
}

describe('Jobs on real Docker', () => {
  it('a job of completions 3 and parallelism 2 completes with 3 succeeded pods', async () => {
    await jobs().create(job('three', 'echo done', { completions: 3, parallelism: 2 }));
    const j = await finished('three');
    expect(condition(j, 'Complete')).toMatchObject({ reason: 'CompletionsReached' });
    expect(condition(j, 'SuccessCriteriaMet')).toBeDefined();
    expect(j.status).toMatchObject({ succeeded: 3, ready: 0 });
    expect(j.status?.failed).toBeUndefined();
    expect(j.status?.active).toBeUndefined();
    expect(Date.parse(j.status!.completionTime!)).toBeGreaterThanOrEqual(Date.parse(j.status!.startTime!));
    const ps = await jobPods('three');
    expect(ps.map((p) => p.status?.phase)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    for (const p of ps) expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Job', name: 'three', uid: j.metadata.uid, controller: true })]);
  });

  it('a failing job with backoffLimit 1 fails with BackoffLimitExceeded after 2 failed pods', async () => {
    await jobs().create(job('fails', 'exit 1', { backoffLimit: 1 }));
    const j = await finished('fails');
    expect(condition(j, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(condition(j, 'FailureTarget')).toMatchObject({ reason: 'BackoffLimitExceeded' });
    expect(condition(j, 'Complete')).toBeUndefined();
    expect(j.status?.failed).toBe(2);
    const ps = await jobPods('fails');
    expect(ps.map((p) => p.status?.phase)).toEqual(['Failed', 'Failed']);
  });

  it('kubectl 1.33 creates a job, waits for it, prints its logs and lists it', async () => {
    kubectl('create', 'job', 'hello', '--image=mk8s/busybox:1', '--', 'sh', '-c', 'echo hello from job');
    kubectl('wait', '--for=condition=complete', 'job/hello', '--timeout=120s');
    expect(kubectl('logs', 'job/hello')).toBe('hello from job\n');
    const table = kubectl('get', 'jobs').trim().split('\n');
    expect(table[0]?.split(/\s+/)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    const row = table.find((l) => l.startsWith('hello '))?.split(/\s+/);
    expect(row?.slice(0, 3)).toEqual(['hello', 'Complete', '1/1']);
    const failedRow = table.find((l) => l.startsWith('fails '))?.split(/\s+/);
    expect(failedRow?.slice(0, 3)).toEqual(['fails', 'Failed', '0/1']);
    const wide = kubectl('get', 'job', 'hello', '-o', 'wide').trim().split('\n');
    expect(wide[0]?.split(/\s+/)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(wide[1]).toMatch(/^hello\s+Complete\s+1\/1\s+\S+\s+\S+\s+hello\s+mk8s\/busybox:1\s+batch\.kubernetes\.io\/controller-uid=[0-9a-f-]+$/);
    expect(kubectl('get', 'all')).toMatch(/^job\.batch\/hello\s+Complete\s+1\/1/m);
    await waitFor(async () => /Normal\s+Completed\s.*Job completed/.test(kubectl('describe', 'job', 'hello')), { timeoutMs: 30_000, message: 'no Completed event' });
  });

  it('kubectl 1.32 creates a job (protobuf body); create -f refuses restartPolicy Always', async () => {
    execFileSync(kubectlBinary('1.32'), ['--kubeconfig', c.cp.kubeconfigFor('admin'), 'create', 'job', 'old-kubectl', '--image=mk8s/busybox:1', '--', 'true'], { encoding: 'utf8' });
    const j = await finished('old-kubectl');
    expect(condition(j, 'Complete')).toBeDefined();
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': j.metadata.uid } });
    expect(j.metadata.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'old-kubectl', 'job-name': 'old-kubectl' });
    const bad = job('bad', 'true');
    bad.spec.template.spec.restartPolicy = 'Always';
    let stderr = '';
    try {
      execFileSync(KUBECTL, ['--kubeconfig', c.cp.kubeconfigFor('admin'), 'create', '-f', '-'], { input: JSON.stringify(bad), encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      stderr = String((err as { stderr?: string }).stderr);
    }
    expect(stderr).toContain('spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
  });

  it('kubectl apply -f creates a job; a finished job with ttlSecondsAfterFinished 0 is deleted with its pods', async () => {
    const manifest = JSON.stringify(job('short', 'true', { ttlSecondsAfterFinished: 0 }));
    execFileSync(KUBECTL, ['--kubeconfig', c.cp.kubeconfigFor('admin'), 'apply', '-f', '-'], { input: manifest, encoding: 'utf8' });
    await waitFor(
      async () => {
        try {
          await jobs().get('default', 'short');
          return false;
        } catch (err) {
          if (isNotFound(err)) return true;
          throw err;
        }
      },
      { timeoutMs: 120_000, message: 'the finished job was never deleted' },
    );
    await waitFor(async () => (await jobPods('short')).length === 0, { timeoutMs: 60_000, message: "the job's pods were not collected" });
  });

  it('re-applying a job is unchanged, labelling it works, changing its template is refused', async () => {
    const apply = (j: Job) => {
      try {
        return { out: execFileSync(KUBECTL, ['--kubeconfig', c.cp.kubeconfigFor('admin'), 'apply', '-f', '-'], { input: JSON.stringify(j), encoding: 'utf8', stdio: 'pipe' }), err: '' };
      } catch (e) {
        return { out: '', err: String((e as { stderr?: string }).stderr) };
      }
    };
    const j = job('applied', 'true');
    expect(apply(j).out.trim()).toBe('job.batch/applied created');
    expect(apply(j).out.trim()).toBe('job.batch/applied unchanged');
    expect(kubectl('label', 'job', 'applied', 'team=a').trim()).toBe('job.batch/applied labeled');
    j.spec.template.spec.containers[0]!.command = ['sh', '-c', 'echo changed'];
    expect(apply(j).err).toContain('spec.template: Invalid value');
    expect(apply(j).err).toContain('field is immutable');
  });

  it('activeDeadlineSeconds fails a running job with DeadlineExceeded and stops its pods', async () => {
    await jobs().create(job('slow', 'sleep 300', { activeDeadlineSeconds: 3 }));
    const j = await finished('slow');
    expect(condition(j, 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(j.status?.active).toBeUndefined();
    await waitFor(async () => (await jobPods('slow')).every((p) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded'), {
      timeoutMs: 60_000,
      message: 'the pods of the job past its deadline kept running',
    });
  });

  it('restartPolicy OnFailure: container restarts count toward backoffLimit', async () => {
    const j0 = job('restarts', 'exit 1', { backoffLimit: 1 });
    j0.spec.template.spec.restartPolicy = 'OnFailure';
    await jobs().create(j0);
    const j = await finished('restarts');
    expect(condition(j, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded' });
  });

  it('kubectl patch suspend deletes the active pods; kubectl describe and delete work', async () => {
    await jobs().create(job('pausable', 'sleep 300', { parallelism: 2, completions: 4 }));
    await waitFor(async () => (await jobs().get('default', 'pausable')).status?.active === 2, { timeoutMs: 60_000, message: 'never had 2 active pods' });
    kubectl('patch', 'job', 'pausable', '--type=merge', '-p', '{"spec":{"suspend":true}}');
    await waitFor(
      async () => {
        const j = await jobs().get('default', 'pausable');
        return !!condition(j, 'Suspended') && j.status?.active === undefined && (await jobPods('pausable')).length === 0;
      },
      { timeoutMs: 60_000, message: 'the suspended job kept its pods' },
    );
    const row = kubectl('get', 'job', 'pausable', '--no-headers').trim().split(/\s+/);
    expect(row.slice(0, 3)).toEqual(['pausable', 'Suspended', '0/4']);
    expect(kubectl('describe', 'job', 'pausable')).toMatch(/Parallelism:\s+2/);
    kubectl('patch', 'job', 'pausable', '--type=merge', '-p', '{"spec":{"suspend":false}}');
    await waitFor(async () => (await jobs().get('default', 'pausable')).status?.active === 2, { timeoutMs: 60_000, message: 'the resumed job started no pods' });
    kubectl('delete', 'job', 'pausable', '--wait=true', '--timeout=60s');
    await waitFor(async () => (await jobPods('pausable')).length === 0, { timeoutMs: 60_000, message: "the deleted job's pods were not collected" });
  });
});
