import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Docker from 'dockerode';
import type { Probe } from '@mk8s/shared';
import { runProbe } from '../src/probes/index.js';
import { ensureBusyboxImage } from './util/busybox-image.js';
import { createTestContainer, containerIP, removeNodeContainers, uniqueNode } from './util/test-containers.js';

const docker = new Docker();
const node = uniqueNode('probes-test');
let containerId = '';
let podIP = '';

beforeAll(async () => {
  await ensureBusyboxImage(docker);
  // httpd serves /www with one page; port 9000 stays closed.
  const c = await createTestContainer(docker, {
    node,
    pod: 'web',
    container: 'web',
    cmd: ['sh', '-c', 'mkdir -p /www/sub /www/empty && echo ok > /www/healthz && echo sub-index > /www/sub/index.html && exec httpd -f -p 8080 -h /www'],
  });
  containerId = c.id;
  podIP = await containerIP(docker, c.id);
  // Wait (bounded) until httpd listens.
  for (let i = 0; i < 400; i++) {
    const r = await runProbe({ tcpSocket: { port: 8080 } }, { docker, containerId, podIP });
    if (r.result === 'success') break;
    await new Promise((res) => setTimeout(res, 50));
  }
});

afterAll(async () => {
  await removeNodeContainers(docker, node);
});

describe('runProbe against a real container', () => {
  it.each<[string, Probe, 'success' | 'failure', RegExp]>([
    ['exec exit 0', { exec: { command: ['sh', '-c', 'echo fine'] } }, 'success', /^fine\n$/],
    ['exec exit 1 with stderr', { exec: { command: ['sh', '-c', 'echo bad >&2; exit 1'] } }, 'failure', /bad/],
    ['exec missing binary', { exec: { command: ['/no/such/binary'] } }, 'failure', /.+/],
    ['exec timeout', { exec: { command: ['sleep', '5'] }, timeoutSeconds: 1 }, 'failure', /timed out/],
    ['httpGet existing path', { httpGet: { path: '/healthz', port: 8080 } }, 'success', /^ok\n$/],
    ['httpGet named port', { httpGet: { path: '/healthz', port: 'http' } }, 'success', /^ok\n$/],
    ['httpGet missing path', { httpGet: { path: '/missing', port: 8080 } }, 'failure', /statuscode: 404/],
    ['httpGet follows a same-host redirect', { httpGet: { path: '/sub', port: 8080 } }, 'success', /^sub-index\n$/],
    ['httpGet judges the redirect target', { httpGet: { path: '/empty', port: 8080 } }, 'failure', /statuscode: 404/],
    ['httpGet closed port', { httpGet: { path: '/', port: 9000 } }, 'failure', /ECONNREFUSED/],
    ['httpGet unknown named port', { httpGet: { path: '/', port: 'metrics' } }, 'failure', /"metrics" not found/],
    ['tcpSocket open port', { tcpSocket: { port: 8080 } }, 'success', /^$/],
    ['tcpSocket closed port', { tcpSocket: { port: 9000 } }, 'failure', /ECONNREFUSED/],
    ['no handler', {}, 'failure', /no handler/],
  ])('%s', async (_name, probe, want, output) => {
    // A generous default timeout keeps a loaded machine from failing the non-timeout cases.
    const got = await runProbe({ timeoutSeconds: 10, ...probe }, { docker, containerId, podIP, ports: { http: 8080 } });
    expect(got.result).toBe(want);
    expect(got.output).toMatch(output);
  });

  it('fails without a pod IP for network probes', async () => {
    expect(await runProbe({ tcpSocket: { port: 8080 } }, { docker, containerId })).toEqual({
      result: 'failure',
      output: 'pod has no IP yet',
    });
  });

  it('fails (does not throw) for an unknown container', async () => {
    const got = await runProbe({ exec: { command: ['true'] } }, { docker, containerId: 'no-such-container-xyz' });
    expect(got.result).toBe('failure');
    expect(got.output).toMatch(/exec probe failed/);
  });
});
