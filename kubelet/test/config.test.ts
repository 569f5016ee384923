/**
 * End-to-end: ConfigMaps, Secrets and the downward API consumed by pods on a real kubelet
 * and Docker. Env from ConfigMaps/Secrets/fieldRef/resourceFieldRef; configMap and
 * downwardAPI volume files that change inside a running pod after an update while env keeps
 * its start value; a missing ConfigMap holding the pod with CreateContainerConfigError until
 * it exists; secret values never in kubelet logs or events; an unbound claim and an nfs
 * volume (this machine's kernel has no NFS client) reported clearly; bad input refused (422).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, RESOURCES, type ConfigMap, type Pod, type Secret } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import {
  containerId,
  createPod,
  docker,
  dockerExec,
  isRunningReady,
  prepareImages,
  removeNodeContainers,
  sh,
  startKubelet,
  testPod,
  waitForPod,
  configMapOf as configMap,
  firstWaiting as waiting,
  type TestKubelet,
} from './helpers.js';

const NODE = `e2e-config-${process.pid}`;
const SECRET_VALUE = 'pa55-w0rd-e2e-only';
let cp: TestControlPlane;
let kubelet: TestKubelet;

beforeAll(async () => {
  await prepareImages();
  cp = await startControlPlane();
  kubelet = await startKubelet(cp, NODE, '10.244.221.0/24');
}, 120_000);

afterAll(async () => {
  await kubelet?.stop();
  await removeNodeContainers(NODE);
  await cp?.stop();
});

const logs = (): string => kubelet.proc.logs();
const cms = () => cp.client.resource<ConfigMap>(RESOURCES.configmaps);
const secrets = () => cp.client.resource<Secret>(RESOURCES.secrets);
const run = async (p: Pod, cmd: string[]): Promise<string> => (await dockerExec(containerId(p, 'main'), cmd)).output;

describe('env', () => {
  it('comes from ConfigMaps, Secrets, pod fields and resources', async () => {
    await cms().create(configMap('env-cm', { color: 'blue', size: 'L' }));
    await secrets().create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'env-secret', namespace: 'default' }, stringData: { password: SECRET_VALUE } });
    await createPod(
      cp.client,
      testPod('env-pod', NODE, [
        sh('main', 'sleep 3600', {
          resources: { limits: { memory: '64Mi', cpu: '500m' } },
          envFrom: [{ configMapRef: { name: 'env-cm' }, prefix: 'CM_' }, { secretRef: { name: 'env-secret' } }],
          env: [
            { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'color' } } },
            { name: 'PW', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'password' } } },
            { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'no-such-cm', key: 'x', optional: true } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
          ],
        }),
      ]),
    );
    const p = await waitForPod(cp.client, 'env-pod', isRunningReady, 'running', 60_000, logs);
    const env = Object.fromEntries(
      (await run(p, ['env']))
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env).toMatchObject({
      CM_color: 'blue',
      CM_size: 'L',
      password: SECRET_VALUE,
      COLOR: 'blue',
      PW: SECRET_VALUE,
      POD_NAME: 'env-pod',
      POD_NS: 'default',
      POD_IP: p.status?.podIP,
      NODE,
      MEM_MI: '64',
      CPU_M: '500',
    });
    expect(env.OPT).toBeUndefined();
  });

  it('Secrets are stored base64 and never reach kubelet logs or events', async () => {
    const s = await secrets().get('default', 'env-secret');
    expect(s.data).toEqual({ password: Buffer.from(SECRET_VALUE).toString('base64') });
    expect(s.stringData).toBeUndefined();
    const events = JSON.stringify(await cp.client.request('GET', '/api/v1/namespaces/default/events'));
    for (const text of [logs(), events]) {
      expect(text).not.toContain(SECRET_VALUE);
      expect(text).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    }
  });
});

describe('volumes', () => {
  it('configMap, secret and downwardAPI files change in a running pod; env keeps its start value', async () => {
    await cms().create(configMap('live-cm', { greeting: 'hello', other: 'x' }));
    await secrets().create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'live-secret', namespace: 'default' }, stringData: { token: 'one' } });
    await createPod(
      cp.client,
      testPod(
        'live-pod',
        NODE,
        [
          sh('main', 'sleep 3600', {
            env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'live-cm', key: 'greeting' } } }],
            volumeMounts: [
              { name: 'cfg', mountPath: '/etc/cfg' },
              { name: 'info', mountPath: '/etc/podinfo' },
              { name: 'sec', mountPath: '/etc/sec' },
              { name: 'later', mountPath: '/etc/later' },
            ],
          }),
        ],
        {
          volumes: [
            { name: 'cfg', configMap: { name: 'live-cm', items: [{ key: 'greeting', path: 'conf/greeting.txt' }], defaultMode: 0o600 } },
            { name: 'sec', secret: { secretName: 'live-secret', defaultMode: 0o400 } },
            { name: 'later', configMap: { name: 'later-cm', optional: true } },
            { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          ],
        },
      ),
    );
    let p = await waitForPod(cp.client, 'live-pod', isRunningReady, 'running', 60_000, logs);
    expect(await run(p, ['cat', '/etc/cfg/conf/greeting.txt'])).toBe('hello');
    expect((await run(p, ['stat', '-L', '-c', '%a', '/etc/cfg/conf/greeting.txt'])).trim()).toBe('600');
    expect(await run(p, ['ls', '/etc/cfg'])).toBe('conf\n');
    expect(await run(p, ['cat', '/etc/podinfo/name'])).toBe('live-pod');
    expect(await run(p, ['cat', '/etc/sec/token'])).toBe('one');
    expect((await run(p, ['stat', '-L', '-c', '%a', '/etc/sec/token'])).trim()).toBe('400');
    expect(await run(p, ['ls', '/etc/later'])).toBe('');

    const cm = await cms().get('default', 'live-cm');
    await cms().update({ ...cm, data: { greeting: 'bonjour', other: 'x' } });
    await cp.client.resource<Pod>(RESOURCES.pods).patch('default', 'live-pod', { metadata: { labels: { tier: 'web' } } }, 'merge');
    const sec = await secrets().get('default', 'live-secret');
    await secrets().update({ ...sec, stringData: { token: 'two' } });
    await cms().create(configMap('later-cm', { late: 'arrived' }));
    p = await waitForPod(cp.client, 'live-pod', isRunningReady, 'running', 60_000, logs);
    await waitFor(async () => (await run(p, ['cat', '/etc/cfg/conf/greeting.txt'])) === 'bonjour', { timeoutMs: 45_000, message: () => `configMap file not updated\n${logs().slice(-2000)}` });
    await waitFor(async () => (await run(p, ['cat', '/etc/podinfo/labels'])) === 'tier="web"', { timeoutMs: 45_000, message: 'downwardAPI labels not updated' });
    await waitFor(async () => (await run(p, ['cat', '/etc/sec/token'])) === 'two', { timeoutMs: 45_000, message: 'secret file not updated' });
    await waitFor(async () => (await run(p, ['cat', '/etc/later/late'])) === 'arrived', { timeoutMs: 45_000, message: 'optional configMap files did not appear' });
    expect((await run(p, ['sh', '-c', 'echo -n $GREETING'])).trim()).toBe('hello');
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('a missing ConfigMap holds the pod with CreateContainerConfigError until it is created', async () => {
    await createPod(
      cp.client,
      testPod('late-pod', NODE, [sh('main', 'sleep 3600', { volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] })], { volumes: [{ name: 'cfg', configMap: { name: 'late-cm' } }] }),
    );
    const held = await waitForPod(cp.client, 'late-pod', (x) => waiting(x)?.reason === 'CreateContainerConfigError', 'held', 30_000, logs);
    expect(waiting(held)?.message).toContain('configmap "late-cm" not found');
    expect(held.status?.phase).toBe('Pending');
    await cms().create(configMap('late-cm', { k: 'v' }));
    const p = await waitForPod(cp.client, 'late-pod', isRunningReady, 'running after the ConfigMap exists', 60_000, logs);
    expect(await run(p, ['cat', '/cfg/k'])).toBe('v');
  });

  it('a claim that does not exist or is not bound holds the pod with a clear reason', async () => {
    await createPod(cp.client, testPod('claim-pod', NODE, [sh('main', 'true', { volumeMounts: [{ name: 'd', mountPath: '/d' }] })], { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'nope' } }] }));
    const held = await waitForPod(cp.client, 'claim-pod', (x) => waiting(x)?.reason === 'CreateContainerConfigError', 'held', 30_000, logs);
    expect(waiting(held)?.message).toContain('persistentvolumeclaim "nope" not found');
    await cp.client.resource(RESOURCES.persistentvolumeclaims).create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'nope', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } }, storageClassName: '' },
    });
    await waitForPod(cp.client, 'claim-pod', (x) => waiting(x)?.message?.includes('persistentvolumeclaim "nope" is not bound') === true, 'not bound', 30_000, logs);
  });

  it('nfs volumes are handed to Docker as local-driver nfs volumes; the mount failure is reported', async () => {
    const p0 = await createPod(
      cp.client,
      testPod('nfs-pod', NODE, [sh('main', 'sleep 3600', { volumeMounts: [{ name: 'share', mountPath: '/share' }] })], {
        volumes: [{ name: 'share', nfs: { server: '127.0.0.1', path: '/exports/data', readOnly: true } }],
      }),
    );
    // The failure shows as RunContainerError, then as the last termination while the kubelet
    // backs off (CrashLoopBackOff): either carries Docker's mount error.
    const mountError = (x: Pod): string | undefined => {
      const s = x.status?.containerStatuses?.[0];
      const w = s?.state?.waiting;
      if (w?.reason === 'RunContainerError') return w.message;
      return s?.lastState?.terminated?.message;
    };
    const held = await waitForPod(cp.client, 'nfs-pod', (x) => !!mountError(x)?.includes('failed to mount local volume'), 'mount failure reported', 60_000, logs);
    expect(mountError(held)).toContain('failed to mount local volume');
    const volName = `mk8s-nfs-${p0.metadata.uid}-share`;
    const vol = await docker.getVolume(volName).inspect();
    expect(vol.Driver).toBe('local');
    expect(vol.Options).toEqual({ type: 'nfs', o: 'addr=127.0.0.1,ro,nfsvers=4', device: ':/exports/data' });
    expect(vol.Labels).toEqual({ 'mk8s.node': NODE, 'io.kubernetes.pod.uid': p0.metadata.uid });
    await cp.client.resource<Pod>(RESOURCES.pods).delete('default', 'nfs-pod', { gracePeriodSeconds: 0 });
    // the kubelet removes the Docker volume once the pod and its containers are gone
    await waitFor(async () => (await docker.listVolumes()).Volumes.every((v) => v.Name !== volName), { timeoutMs: 60_000, message: () => `nfs volume left behind\n${logs().slice(-2000)}` });
  });
});

describe('bad input', () => {
  const expect422 = async (obj: Pod | Secret, text: string): Promise<void> => {
    const err = await cp.client
      .resource<Pod | Secret>(obj.kind === 'Pod' ? RESOURCES.pods : RESOURCES.secrets)
      .create(obj)
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(422);
    expect((err as ApiError).message).toContain(text);
  };
  it.each([
    {
      name: 'a mount of an undeclared volume',
      obj: testPod('bad-mount', NODE, [sh('main', 'true', { volumeMounts: [{ name: 'ghost', mountPath: '/g' }] })]),
      text: 'ghost',
    },
    {
      name: 'duplicate mount paths',
      obj: testPod('bad-dup', NODE, [sh('main', 'true', { volumeMounts: [{ name: 'a', mountPath: '/x' }, { name: 'b', mountPath: '/x' }] })], {
        volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }],
      }),
      text: '/x',
    },
    {
      name: 'a Secret over 1 MiB',
      obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'too-big', namespace: 'default' }, stringData: { blob: 'x'.repeat(1024 * 1024 + 1) } } as Secret,
      text: 'Too long',
    },
  ])('refuses $name with 422', async ({ obj, text }) => expect422(obj as Pod | Secret, text));
});
