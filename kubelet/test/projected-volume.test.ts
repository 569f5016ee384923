/**
 * End-to-end: projected volumes on a real kubelet and Docker. One directory holds the files
 * of a configMap, a secret and a downwardAPI source (items, modes, an optional source that
 * is missing), read-only in the container; an update of the configMap and of the pod's
 * labels shows up in the running container; a missing non-optional configMap holds the pod
 * with CreateContainerConfigError and its name until it is created, and so does a TokenRequest
 * the apiserver refuses ("failed to fetch token: <server message>").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type ConfigMap, type Pod, type Secret } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import { containerId, createPod, dockerExec, isRunningReady, prepareImages, removeNodeContainers, sh, startKubelet, testPod, waitForPod, type TestKubelet } from './helpers.js';

const NODE = `e2e-projected-${process.pid}`;
let cp: TestControlPlane;
let kubelet: TestKubelet;

beforeAll(async () => {
  await prepareImages();
  cp = await startControlPlane();
  kubelet = await startKubelet(cp, NODE, '10.244.226.0/24');
}, 120_000);

afterAll(async () => {
  await kubelet?.stop();
  await removeNodeContainers(NODE);
  await cp?.stop();
});

const logs = (): string => kubelet.proc.logs();
const cms = () => cp.client.resource<ConfigMap>(RESOURCES.configmaps);
const waiting = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.waiting;
const configMap = (name: string, data: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const exec = (p: Pod, cmd: string[]) => dockerExec(containerId(p, 'main'), cmd);
const run = async (p: Pod, cmd: string[]): Promise<string> => (await exec(p, cmd)).output;

describe('projected volume', () => {
  it('merges configMap, secret and downwardAPI files into one read-only directory and keeps them current', async () => {
    await cms().create(configMap('proj-cm', { greeting: 'hello', color: 'blue' }));
    await cp.client.resource<Secret>(RESOURCES.secrets).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'proj-secret', namespace: 'default' }, stringData: { password: 's3cret' } });
    await createPod(
      cp.client,
      testPod('proj-pod', NODE, [sh('main', 'sleep 3600', { volumeMounts: [{ name: 'all', mountPath: '/etc/all' }] })], {
        volumes: [
          {
            name: 'all',
            projected: {
              defaultMode: 0o440,
              sources: [
                { configMap: { name: 'proj-cm', items: [{ key: 'greeting', path: 'conf/greeting.txt', mode: 0o600 }] } },
                { secret: { name: 'proj-secret' } },
                { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
                { configMap: { name: 'proj-absent', optional: true } },
              ],
            },
          },
        ],
      }),
    );
    let p = await waitForPod(cp.client, 'proj-pod', isRunningReady, 'running', 60_000, logs);
    expect(await run(p, ['cat', '/etc/all/conf/greeting.txt'])).toBe('hello');
    expect((await run(p, ['stat', '-L', '-c', '%a', '/etc/all/conf/greeting.txt'])).trim()).toBe('600');
    expect(await run(p, ['cat', '/etc/all/password'])).toBe('s3cret');
    expect((await run(p, ['stat', '-L', '-c', '%a', '/etc/all/password'])).trim()).toBe('440');
    expect(await run(p, ['cat', '/etc/all/name'])).toBe('proj-pod');
    expect((await run(p, ['ls', '/etc/all'])).split('\n').filter(Boolean).sort()).toEqual(['conf', 'labels', 'name', 'password']);
    const write = await exec(p, ['sh', '-c', 'echo x > /etc/all/new']);
    expect(write.exitCode).not.toBe(0);
    expect(write.output).toMatch(/Read-only file system/);

    const cm = await cms().get('default', 'proj-cm');
    await cms().update({ ...cm, data: { greeting: 'bonjour' } });
    await cp.client.resource<Pod>(RESOURCES.pods).patch('default', 'proj-pod', { metadata: { labels: { tier: 'web' } } }, 'merge');
    await waitFor(async () => (await run(p, ['cat', '/etc/all/conf/greeting.txt'])) === 'bonjour', { timeoutMs: 45_000, message: () => `configMap file not updated\n${logs().slice(-2000)}` });
    await waitFor(async () => (await run(p, ['cat', '/etc/all/labels'])) === 'tier="web"', { timeoutMs: 45_000, message: 'downwardAPI labels not updated' });
    p = await waitForPod(cp.client, 'proj-pod', isRunningReady, 'running', 30_000, logs);
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('a missing non-optional configMap holds the pod with CreateContainerConfigError until it is created', async () => {
    await createPod(
      cp.client,
      testPod('proj-late', NODE, [sh('main', 'sleep 3600', { volumeMounts: [{ name: 'all', mountPath: '/etc/all' }] })], {
        volumes: [{ name: 'all', projected: { sources: [{ downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } }, { configMap: { name: 'proj-late-cm' } }] } }],
      }),
    );
    const held = await waitForPod(cp.client, 'proj-late', (x) => waiting(x)?.reason === 'CreateContainerConfigError', 'held', 30_000, logs);
    expect(waiting(held)?.message).toContain('configmap "proj-late-cm" not found');
    expect(held.status?.phase).toBe('Pending');
    await cms().create(configMap('proj-late-cm', { k: 'v' }));
    const p = await waitForPod(cp.client, 'proj-late', isRunningReady, 'running after the ConfigMap exists', 60_000, logs);
    expect(await run(p, ['cat', '/etc/all/k'])).toBe('v');
    expect(await run(p, ['cat', '/etc/all/name'])).toBe('proj-late');
  });

  it('a TokenRequest the apiserver refuses holds the pod with the server message', async () => {
    await createPod(
      cp.client,
      testPod('proj-token-refused', NODE, [sh('main', 'sleep 3600', { volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets/tokens' }] })], {
        serviceAccountName: 'no-such-account',
        volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'vault' } }] } }],
      }),
    );
    const held = await waitForPod(cp.client, 'proj-token-refused', (x) => waiting(x)?.reason === 'CreateContainerConfigError', 'held', 30_000, logs);
    expect(waiting(held)?.message).toMatch(/^failed to fetch token: \S/);
    expect(held.status?.phase).toBe('Pending');
  });
});
