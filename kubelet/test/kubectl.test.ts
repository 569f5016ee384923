/**
 * End-to-end with the stock kubectl (1.33 and 1.30, both WebSocket exec): logs and exec of a
 * pod run by a real kubelet, through the apiserver's pods/log and pods/exec proxies to the
 * kubelet server. The kubelet reports a non-loopback InternalIP, as the proxy requires. The
 * kubelet authorizes its own API with SubjectAccessReviews: the apiserver may, kube-proxy may not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { RESOURCES, type Node, type Pod } from '@mk8s/shared';
import { kubectlBinary, startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import { defaultNodeIp } from '../src/node/info.js';
import { createPod, isRunningReady, prepareImages, removeNodeContainers, sh, startKubelet, testPod, waitForPod, type TestKubelet } from './helpers.js';

const NODE = `e2e-kubectl-${process.pid}`;
let cp: TestControlPlane;
let kubelet: TestKubelet;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function kubectl(version: string, args: string[], stdin?: string, onStdout?: (soFar: string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlBinary(version), ['--kubeconfig', cp.kubeconfigFor('admin'), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

beforeAll(async () => {
  await prepareImages();
  cp = await startControlPlane();
  kubelet = await startKubelet(cp, NODE, '10.244.211.0/24', ['--node-ip', defaultNodeIp()]);
  await createPod(
    cp.client,
    testPod('talk', NODE, [
      sh('main', 'echo first; echo second; exec sleep 3600', { readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } }),
      sh('side', 'echo from-side >&2; exec sleep 3600'),
      sh('web', 'mkdir -p /www; echo via-port-forward > /www/index.html; exec httpd -f -p 8080 -h /www', {
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
      }),
    ]),
  );
  // Generous timeouts: these tests share two cores with every other end-to-end suite.
  await waitForPod(cp.client, 'talk', isRunningReady, 'Running and Ready', 120_000, () => kubelet.proc.logs());
  await waitFor(async () => (await kubectl('1.33', ['logs', 'talk', '-c', 'main'])).stdout === 'first\nsecond\n', {
    timeoutMs: 60_000,
    message: () => 'logs never showed both lines',
  });
});

afterAll(async () => {
  await kubelet?.stop();
  await removeNodeContainers(NODE);
  await cp?.stop();
});

// Exec over WebSocket (1.30+). The kubelet also serves SPDY exec (kubectl <= 1.29; see
// server.test.ts), but the apiserver only lets SPDY upgrades through for port-forward so far.
describe.each(['1.33', '1.30'])('kubectl %s', (version) => {
  it.each<[string, string[], string | undefined, Partial<Run>]>([
    ['logs', ['logs', 'talk', '-c', 'main'], undefined, { code: 0, stdout: 'first\nsecond\n' }],
    ['logs --tail', ['logs', 'talk', '-c', 'main', '--tail=1'], undefined, { code: 0, stdout: 'second\n' }],
    ['logs of stderr', ['logs', 'talk', '-c', 'side'], undefined, { code: 0, stdout: 'from-side\n' }],
    ['exec', ['exec', 'talk', '-c', 'main', '--', 'sh', '-c', 'echo out; echo err >&2'], undefined, { code: 0, stdout: 'out\n', stderr: 'err\n' }],
    ['exec exit code', ['exec', 'talk', '-c', 'main', '--', 'sh', '-c', 'exit 3'], undefined, { code: 3, stdout: '' }],
    ['exec -i', ['exec', '-i', 'talk', '-c', 'main', '--', 'cat'], 'piped\ninput', { code: 0, stdout: 'piped\ninput' }],
  ])('%s', async (_name, args, stdin, want) => {
    const got = await kubectl(version, args, stdin);
    expect(got).toMatchObject(want);
  });

  it('exec of a missing binary fails with kubectl\'s error', async () => {
    const got = await kubectl(version, ['exec', 'talk', '-c', 'main', '--', '/no/such/binary']);
    expect(got.code).not.toBe(0);
    expect(got.stdout + got.stderr).toMatch(/no such file|not found/i);
  });
});

describe('the kubelet API itself (SubjectAccessReview, as --authorization-mode=Webhook)', () => {
  /** status and body of GET `path` on the kubelet, with `token` */
  async function kubeletGet(path: string, token: string): Promise<{ code: number; body: string }> {
    const node = await cp.client.resource<Node>(RESOURCES.nodes).get(undefined, NODE);
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
    return new Promise((resolve, reject) => {
      http
        .get({ host: ip, port, path, headers: { Authorization: `Bearer ${token}` }, agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
  }

  it('serves those the apiserver authorizes on nodes/<subresource> and refuses the others with 403', async () => {
    expect(await kubeletGet('/containerLogs/default/talk/main', cp.tokens.admin)).toEqual({ code: 200, body: 'first\nsecond\n' });
    const proxy = await kubeletGet('/containerLogs/default/talk/main', cp.tokens['kube-proxy']);
    expect(proxy.code).toBe(403);
    expect(JSON.parse(proxy.body)).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: 'Forbidden (user=kube-proxy, verb=get, resource=nodes, subresource=proxy)' });
    const stats = await kubeletGet('/stats/summary', cp.tokens['kube-proxy']);
    expect(JSON.parse(stats.body)).toMatchObject({ code: 403, message: 'Forbidden (user=kube-proxy, verb=get, resource=nodes, subresource=stats)' });
    expect((await kubeletGet('/stats/summary', 'not-a-token')).code).toBe(401);
  });
});

describe.each(['1.33', '1.29'])('kubectl %s port-forward', (version) => {
  it('forwards a local port to the pod', async () => {
    const local = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });
    let ready!: () => void;
    const forwarding = new Promise<void>((r) => (ready = r));
    const child = spawn(kubectlBinary(version), ['--kubeconfig', cp.kubeconfigFor('admin'), 'port-forward', 'pod/talk', `${local}:8080`]);
    let output = '';
    const onOutput = (c: Buffer): void => {
      output += c.toString();
      if (output.includes(`Forwarding from 127.0.0.1:${local}`)) ready();
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    try {
      await forwarding;
      const body = await new Promise<string>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: local, path: '/', agent: false }, (res) => {
          let b = '';
          res.on('data', (c: Buffer) => (b += c.toString()));
          res.on('end', () => resolve(b));
        }).on('error', reject);
      });
      expect(body).toBe('via-port-forward\n');
    } finally {
      child.kill();
    }
  });
});

describe('kubectl 1.33 streaming and restarts', () => {
  it('attach -i pipes stdin to the container process (stdin: true, stdinOnce: true)', async () => {
    await createPod(
      cp.client,
      testPod('att', NODE, [{ ...sh('c', 'exec cat'), stdin: true, stdinOnce: true }], { restartPolicy: 'Never' }),
    );
    await waitForPod(cp.client, 'att', (p) => p.status?.phase === 'Running', 'Running');
    const got = await kubectl('1.33', ['attach', '-i', 'att', '-c', 'c'], 'attached-input\n');
    expect(got).toMatchObject({ code: 0, stdout: 'attached-input\n' });
  });

  it('cp copies a file into the pod and back (tar over exec stdin/stdout)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk8s-kubectl-cp-'));
    try {
      const payload = 'line\n'.repeat(20_000) + 'end\n';
      writeFileSync(join(dir, 'in.txt'), payload);
      const into = await kubectl('1.33', ['cp', join(dir, 'in.txt'), 'talk:/tmp/in.txt', '-c', 'main']);
      expect(into).toMatchObject({ code: 0, stderr: '' });
      expect((await kubectl('1.33', ['exec', 'talk', '-c', 'main', '--', 'wc', '-c', '/tmp/in.txt'])).stdout.trim()).toBe(`${payload.length} /tmp/in.txt`);
      const back = await kubectl('1.33', ['cp', 'talk:/tmp/in.txt', join(dir, 'out.txt'), '-c', 'main']);
      expect(back.code).toBe(0);
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe(payload);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs -f follows new lines and ends when the container stops', async () => {
    await createPod(
      cp.client,
      testPod('follow', NODE, [sh('main', 'echo start; for i in $(seq 1 600); do [ -f /tmp/go ] && break; sleep 0.1; done; echo later')], {
        restartPolicy: 'Never',
      }),
    );
    await waitForPod(cp.client, 'follow', (p) => p.status?.phase === 'Running', 'Running');
    let sawStart!: () => void;
    const started = new Promise<void>((r) => (sawStart = r));
    const following = kubectl('1.33', ['logs', '-f', 'follow'], undefined, (out) => out.includes('start\n') && sawStart());
    await started;
    expect((await kubectl('1.33', ['exec', 'follow', '--', 'touch', '/tmp/go'])).code).toBe(0);
    expect(await following).toMatchObject({ code: 0, stdout: 'start\nlater\n' });
  });

  it('logs --previous shows the instance before a liveness restart', async () => {
    // Only the first instance fails its liveness probe; an emptyDir tells the instances apart.
    const script = 'if [ -f /data/ran ]; then echo second; else touch /data/ran /tmp/doomed; echo first; fi; exec sleep 3600';
    await createPod(
      cp.client,
      testPod(
        'again',
        NODE,
        [
          sh('main', script, {
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
            livenessProbe: { exec: { command: ['sh', '-c', '! test -f /tmp/doomed'] }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 10 },
          }),
        ],
        { volumes: [{ name: 'data', emptyDir: {} }] },
      ),
    );
    const running = (p: Pod): boolean =>
      (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && p.status?.containerStatuses?.[0]?.state?.running !== undefined;
    await waitForPod(cp.client, 'again', running, 'restarted and running', 60_000, () => kubelet.proc.logs());
    await waitFor(async () => (await kubectl('1.33', ['logs', 'again'])).stdout === 'second\n', { timeoutMs: 20_000 });
    expect(await kubectl('1.33', ['logs', 'again', '--previous'])).toMatchObject({ code: 0, stdout: 'first\n' });
  });
});

// Last in the file: it empties the node.
describe('kubectl 1.33 drain', () => {
  it('cordons the node and evicts its pods through the eviction API; uncordon lets pods back', async () => {
    const r = await kubectl('1.33', ['drain', NODE, '--force', '--ignore-daemonsets', '--delete-emptydir-data', '--grace-period=1', '--timeout=90s']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pod/talk evicted');
    expect(r.stdout).toContain(`node/${NODE} drained`);
    const node = await cp.client.resource<Node>(RESOURCES.nodes).get(undefined, NODE);
    expect(node.spec?.unschedulable).toBe(true);
    const left = await cp.client.resource<Pod>(RESOURCES.pods).list(undefined, { fieldSelector: `spec.nodeName=${NODE}` });
    expect(left.items.map((p) => p.metadata.name)).toEqual([]);
    expect((await kubectl('1.33', ['uncordon', NODE])).stdout).toContain(`node/${NODE} uncordoned`);
    expect((await cp.client.resource<Node>(RESOURCES.nodes).get(undefined, NODE)).spec?.unschedulable).toBeFalsy();
  });
});
