/**
 * End-to-end: projected volumes on a real kubelet and Docker. One directory holds the files
 * of a configMap, a secret and a downwardAPI source (items, modes, an optional source that
 * is missing), read-only in the container; an update of the configMap and of the pod's
 * labels shows up in the running container; a missing non-optional configMap holds the pod
 * with CreateContainerConfigError and its name until it is created, and so does a TokenRequest
 * the apiserver refuses ("failed to fetch token: <server message>").
 * With service accounts on (a second control plane and kubelet), the kube-api-access volume
 * the admission adds holds a token the apiserver accepts as the pod's service account, the
 * cluster CA and the namespace; a source with its own audience and lifetime gets a token
 * with exactly those claims, which the apiserver refuses as a client credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, RestClient, type ConfigMap, type Pod, type Secret, type ServiceAccount } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import { configMapOf as configMap, containerId, createPod, firstWaiting as waiting, dockerExec, isRunningReady, prepareImages, removeNodeContainers, sh, startKubelet, testPod, waitForPod, type TestKubelet } from './helpers.js';

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

describe('service account tokens', () => {
  const SA_NODE = `e2e-projected-sa-${process.pid}`;
  const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
  let sacp: TestControlPlane;
  let saKubelet: TestKubelet;

  beforeAll(async () => {
    sacp = await startControlPlane({ serviceAccounts: true });
    saKubelet = await startKubelet(sacp, SA_NODE, '10.244.227.0/24');
    // what the controller-manager would make: the default account and the root CA ConfigMap
    await sacp.client.resource<ServiceAccount>(RESOURCES.serviceaccounts).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
    await sacp.client.resource<ConfigMap>(RESOURCES.configmaps).create({ ...configMap('kube-root-ca.crt', { 'ca.crt': sacp.caPem }) });
  }, 120_000);

  afterAll(async () => {
    await saKubelet?.stop();
    await removeNodeContainers(SA_NODE);
    await sacp?.stop();
  });

  const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  const whoami = async (token: string): Promise<string | undefined> => {
    const c = new RestClient({ server: sacp.url, ca: sacp.caPem, token });
    try {
      const r = await c.request<{ status: { userInfo: { username: string } } }>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      });
      return r.status.userInfo.username;
    } finally {
      c.close();
    }
  };

  it('the kube-api-access volume holds a token the apiserver accepts, the CA and the namespace; an audience source its own token', async () => {
    const created = await createPod(
      sacp.client,
      testPod('sa-pod', SA_NODE, [sh('main', 'sleep 3600', { volumeMounts: [{ name: 'vault', mountPath: '/var/run/secrets/vault' }] })], {
        volumes: [{ name: 'vault', projected: { sources: [{ serviceAccountToken: { path: 'vault-token', audience: 'vault', expirationSeconds: 600 } }] } }],
      }),
    );
    const apiVolume = created.spec.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    expect(apiVolume?.projected?.sources?.[0]?.serviceAccountToken).toMatchObject({ path: 'token', expirationSeconds: 3607 });
    const p = await waitForPod(sacp.client, 'sa-pod', isRunningReady, 'running', 60_000, () => saKubelet.proc.logs());
    const cat = async (path: string): Promise<string> => (await dockerExec(containerId(p, 'main'), ['cat', path])).output;

    const token = await cat(`${SA_DIR}/token`);
    expect(await cat(`${SA_DIR}/namespace`)).toBe('default');
    expect(await cat(`${SA_DIR}/ca.crt`)).toBe(sacp.caPem);
    expect(claims(token)).toMatchObject({
      sub: 'system:serviceaccount:default:default',
      'kubernetes.io': { namespace: 'default', pod: { name: 'sa-pod', uid: p.metadata.uid } },
    });
    // the kubelet asked for 3607 s; the apiserver extends such tokens and marks when to rotate
    const c = claims(token);
    expect(((c['kubernetes.io'] as { warnafter?: number }).warnafter ?? 0) - (c.iat as number)).toBe(3607);
    expect(await whoami(token)).toBe('system:serviceaccount:default:default');

    const vault = await cat('/var/run/secrets/vault/vault-token');
    const v = claims(vault);
    expect(v).toMatchObject({ aud: ['vault'], 'kubernetes.io': { pod: { name: 'sa-pod', uid: p.metadata.uid } } });
    expect((v.exp as number) - (v.iat as number)).toBe(600);
    await expect(whoami(vault)).rejects.toMatchObject({ code: 401 });
  });
});

