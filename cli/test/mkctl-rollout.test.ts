/**
 * mkctl rollout against a real apiserver. No controller-manager runs: the test plays the
 * deployment controller by writing ReplicaSets (owner reference + revision annotation) and
 * the Deployment's status itself, so history, undo and status are checked on their own.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { RESOURCES, type Deployment, type ReplicaSet } from '@mk8s/shared';
import { REPO_ROOT, startControlPlane, type TestControlPlane } from '@mk8s/shared/testing';

const MKCTL = join(REPO_ROOT, 'cli/dist/main.js');
let cp: TestControlPlane;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mk(args: string[], onStdout?: (soFar: string) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MKCTL, '--kubeconfig', cp.kubeconfigFor('admin'), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

const deployments = () => cp.client.resource<Deployment>(RESOURCES.deployments);
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

async function ownedReplicaSet(d: Deployment, revision: number, image: string, cause?: string): Promise<void> {
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `web-rev${revision}`,
      namespace: 'default',
      labels: { app: 'web', 'pod-template-hash': `h${revision}` },
      annotations: { 'deployment.kubernetes.io/revision': String(revision), ...(cause ? { 'kubernetes.io/change-cause': cause } : {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true }],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': `h${revision}` } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': `h${revision}` } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
  await cp.client.resource<ReplicaSet>(RESOURCES.replicasets).create(rs);
}

beforeAll(async () => {
  cp = await startControlPlane();
  const d = await deployments().create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('busybox:2') },
  });
  await ownedReplicaSet(d, 1, 'busybox:1', 'first cut');
  await ownedReplicaSet(d, 2, 'busybox:2');
});

afterAll(async () => {
  await cp?.stop();
});

describe('mkctl rollout', () => {
  it('history lists owned ReplicaSets by revision with their change cause', async () => {
    const r = await mk(['rollout', 'history', 'deployment/web']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').map((l) => l.trimEnd())).toEqual(['deployment.apps/web', 'REVISION   CHANGE-CAUSE', '1          first cut', '2          <none>', '', '']);
  });

  it('undo restores the previous revision\'s template without the hash label', async () => {
    expect(await mk(['rollout', 'undo', 'deployment/web'])).toMatchObject({ code: 0, stdout: 'deployment.apps/web rolled back\n' });
    const d = await deployments().get('default', 'web');
    expect(d.spec.template.spec.containers[0]?.image).toBe('busybox:1');
    expect(d.spec.template.metadata?.labels).toEqual({ app: 'web' });
    expect(await mk(['rollout', 'undo', 'deployment/web', '--to-revision=7'])).toMatchObject({ code: 1, stderr: 'error: unable to find specified revision 7 in history\n' });
  });

  it('status waits until the deployment has rolled out', async () => {
    let sawWaiting!: () => void;
    const waiting = new Promise<void>((r) => (sawWaiting = r));
    const status = mk(['rollout', 'status', 'deployment/web'], (out) => out.includes('Waiting') && sawWaiting());
    await waiting;
    const d = await deployments().get('default', 'web');
    d.status = { observedGeneration: d.metadata.generation ?? 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 };
    await deployments().updateStatus(d);
    const r = await status;
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
  });

  it('status --timeout gives up with an error', async () => {
    await deployments().patch('default', 'web', { spec: { replicas: 3 } });
    expect(await mk(['rollout', 'status', 'deploy/web', '--timeout=1s'])).toMatchObject({ code: 1, stderr: 'error: timed out waiting for the condition\n' });
  });

  it('pause and resume toggle spec.paused; restart refuses a paused deployment', async () => {
    expect((await mk(['rollout', 'pause', 'deployment/web'])).stdout).toBe('deployment.apps/web paused\n');
    expect((await deployments().get('default', 'web')).spec.paused).toBe(true);
    expect((await mk(['rollout', 'restart', 'deployment/web'])).code).toBe(1);
    expect((await mk(['rollout', 'resume', 'deployment/web'])).stdout).toBe('deployment.apps/web resumed\n');
    expect((await deployments().get('default', 'web')).spec.paused).toBeFalsy();
  });
});
