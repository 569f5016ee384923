/**
 * mkctl with a real kubelet: logs, exec (WebSocket channel protocol through the apiserver's
 * pods/exec proxy), wait, describe of a running pod and its node, cordon/uncordon, and a
 * delete that waits for the kubelet to finish the pod. No scheduler runs: pods name their node.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESOURCES, isNotFound, type Node, type Pod } from '@mk8s/shared';
import { REPO_ROOT, spawnComponent, startControlPlane, waitFor, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';

const MKCTL = join(REPO_ROOT, 'cli/dist/main.js');
const NODE = `mkctl-e2e-${process.pid}`;
let cp: TestControlPlane;
let kubelet: ManagedProcess;
let dir: string;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mk(args: string[], input?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MKCTL, '--kubeconfig', cp.kubeconfigFor('admin'), ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** The apiserver only proxies to non-loopback node addresses. */
function nodeIp(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) return a.address;
  }
  return '127.0.0.1';
}

function removeNodeContainers(): void {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=mk8s.node=${NODE}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
}

const podManifest = `apiVersion: v1
kind: Pod
metadata:
  name: talk
  labels: {app: talk}
spec:
  nodeName: ${NODE}
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: mk8s/busybox:1
    imagePullPolicy: IfNotPresent
    command: [sh, -c, "echo first; echo second; exec sleep 3600"]
`;

beforeAll(async () => {
  execFileSync('bash', [join(REPO_ROOT, 'deploy/images/build-test-images.sh')], { stdio: 'ignore' });
  cp = await startControlPlane();
  dir = mkdtempSync(join(tmpdir(), 'mkctl-kubelet-e2e-'));
  kubelet = spawnComponent('kubelet', [
    '--kubeconfig', cp.kubeconfigFor('kubelet'),
    '--node-name', NODE,
    '--node-ip', nodeIp(),
    '--pod-cidr', '10.244.237.0/24',
    '--root-dir', join(dir, 'kubelet'),
    '--port', '0',
    '--ops-port', '0',
    '--sync-frequency', '2',
    '--node-status-update-frequency', '2',
  ]);
  await waitFor(async () => (await cp.client.resource<Node>(RESOURCES.nodes).list()).items.some((n) => n.metadata.name === NODE), {
    timeoutMs: 60_000,
    message: () => `node never registered: ${kubelet.logs().slice(-3000)}`,
  });
  const ready = await mk(['wait', '--for=condition=Ready', `node/${NODE}`, '--timeout=60s']);
  expect(ready).toMatchObject({ code: 0, stdout: `node/${NODE} condition met\n` });
  writeFileSync(join(dir, 'pod.yaml'), podManifest);
  expect((await mk(['apply', '-f', join(dir, 'pod.yaml')])).stdout).toBe('pod/talk created\n');
  const podReady = await mk(['wait', '--for=condition=Ready', 'pod/talk', '--timeout=90s']);
  expect(podReady, kubelet.logs().slice(-3000)).toMatchObject({ code: 0, stdout: 'pod/talk condition met\n' });
  await waitFor(async () => (await mk(['logs', 'talk'])).stdout === 'first\nsecond\n', { timeoutMs: 20_000, message: () => 'logs never showed both lines' });
});

afterAll(async () => {
  await kubelet?.stop();
  removeNodeContainers();
  await cp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('mkctl with a running pod', () => {
  it.each<[string, string[], string | undefined, Partial<Result>]>([
    ['logs', ['logs', 'talk'], undefined, { code: 0, stdout: 'first\nsecond\n' }],
    ['logs --tail', ['logs', 'pod/talk', '--tail=1'], undefined, { code: 0, stdout: 'second\n' }],
    ['exec', ['exec', 'talk', '--', 'sh', '-c', 'echo out; echo err >&2'], undefined, { code: 0, stdout: 'out\n', stderr: 'err\n' }],
    ['exec exit code', ['exec', 'talk', '-c', 'main', '--', 'sh', '-c', 'exit 3'], undefined, { code: 3, stdout: '', stderr: 'command terminated with exit code 3\n' }],
    ['exec -i', ['exec', '-i', 'talk', '--', 'cat'], 'piped\ninput', { code: 0, stdout: 'piped\ninput' }],
    ['logs of a missing pod', ['logs', 'nope'], undefined, { code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' }],
  ])('%s', async (_name, args, stdin, want) => {
    expect(await mk(args, stdin)).toMatchObject(want);
  });

  it('get -o wide shows the node; describe shows the running container and the node its pod', async () => {
    const wide = await mk(['get', 'pods', '-o', 'wide']);
    expect(wide.stdout.split('\n')[1]?.split(/\s+/)).toEqual(expect.arrayContaining(['talk', '1/1', 'Running', NODE]));
    const pod = await mk(['describe', 'pod', 'talk']);
    expect(pod.stdout).toMatch(new RegExp(`^Node: +${NODE}/`, 'm'));
    expect(pod.stdout).toMatch(/^ {4}State: +Running$/m);
    expect(pod.stdout).toMatch(/^ {2}Ready +True *$/m);
    const node = await mk(['describe', 'node', NODE]);
    expect(node.stdout).toMatch(/^Non-terminated Pods: +\(1 in total\)$/m);
    expect(node.stdout).toMatch(/^ {2}default +talk /m);
    expect(node.stdout).toMatch(/^ {2}Ready +True /m);
  });

  it('cordon and uncordon flip spec.unschedulable', async () => {
    const nodes = cp.client.resource<Node>(RESOURCES.nodes);
    expect((await mk(['cordon', NODE])).stdout).toBe(`node/${NODE} cordoned\n`);
    expect((await nodes.get(undefined, NODE)).spec?.unschedulable).toBe(true);
    expect((await mk(['cordon', NODE])).stdout).toBe(`node/${NODE} already cordoned\n`);
    expect((await mk(['uncordon', NODE])).stdout).toBe(`node/${NODE} uncordoned\n`);
    expect((await nodes.get(undefined, NODE)).spec?.unschedulable).toBeFalsy();
  });

  it('delete waits for the kubelet to finish the pod', async () => {
    expect(await mk(['delete', 'pod', 'talk'])).toMatchObject({ code: 0, stdout: 'pod "talk" deleted\n' });
    await expect(cp.client.resource<Pod>(RESOURCES.pods).get('default', 'talk')).rejects.toSatisfy(isNotFound);
  });
});
