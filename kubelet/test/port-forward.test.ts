/**
 * Stock kubectl port-forward through the apiserver to a pod on a real kubelet: SPDY/3.1 in a
 * WebSocket (kubectl 1.31+) and raw SPDY/3.1 (kubectl 1.29). Also checks that the apiserver
 * refuses a streaming upgrade it does not serve.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinary, startControlPlane, freePort, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import { defaultNodeIp } from '../src/node/info.js';
import { createPod, isRunningReady, prepareImages, sh, startKubelet, testPod, waitForPod, type TestKubelet } from './helpers.js';

const NODE = 'pf-node';
let cp: TestControlPlane;
let kubelet: TestKubelet;

beforeAll(async () => {
  await prepareImages();
  cp = await startControlPlane();
  kubelet = await startKubelet(cp, NODE, '10.244.212.0/24', ['--node-ip', defaultNodeIp()]);
  await createPod(
    cp.client,
    testPod('served', NODE, [sh('web', 'mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 8080 -h /www', { ports: [{ containerPort: 8080 }] })]),
  );
  await waitForPod(cp.client, 'served', isRunningReady, 'Running and Ready', 60_000, () => kubelet.proc.logs());
});

afterAll(async () => {
  await kubelet?.stop();
  await cp?.stop();
});

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

describe('kubectl port-forward through the apiserver', () => {
  it.each(['1.32', '1.29'])('kubectl %s forwards a local port to the pod', async (version) => {
    const local = await freePort();
    const child: ChildProcess = spawn(kubectlBinary(version), ['--kubeconfig', cp.kubeconfigFor('admin'), 'port-forward', 'pod/served', `${local}:8080`]);
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await waitFor(() => out.includes('Forwarding from'), { timeoutMs: 20_000, message: () => out });
      expect(await get(local)).toBe('hello-from-pod\n');
      expect(await get(local)).toBe('hello-from-pod\n');
    } finally {
      child.kill();
    }
  });

  it('kubectl 1.29 exec over SPDY/3.1 gets output and the exit code', async () => {
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(kubectlBinary('1.29'), ['--kubeconfig', cp.kubeconfigFor('admin'), 'exec', 'served', '--', 'sh', '-c', 'echo spdy-ok; exit 7']);
      let stdout = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.on('exit', (code) => resolve({ code, stdout }));
    });
    expect(out.stdout).toBe('spdy-ok\n');
    expect(out.code).toBe(7);
  });

  it('answers an upgrade of another subresource with a Status and closes', async () => {
    const url = new URL(cp.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = tls.connect({ host: url.hostname, port: Number(url.port), ca: cp.caPem }, () => {
        sock.write(
          `GET /api/v1/namespaces/default/pods/served/log HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${cp.tokens.admin}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
        );
      });
      let data = '';
      sock.on('data', (c: Buffer) => (data += c.toString()));
      sock.on('close', () => resolve(data));
      sock.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toContain('"reason":"BadRequest"');
  });
});
