/**
 * End-to-end: imagePullPolicy outcomes without a registry, config errors (missing
 * ConfigMap, subPath escaping its volume through a symlink), env and downward API values,
 * and hostPath/subPath mounts.
 */
import { chmodSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Pod } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import {
  BUSYBOX,
  containerId,
  createPod,
  dockerExec,
  isRunningReady,
  prepareImages,
  removeNodeContainers,
  sh,
  startKubelet,
  testPod,
  waitForPod,
  type TestKubelet,
} from './helpers.js';

const NODE = `e2e-imgvol-${process.pid}`;
let cp: TestControlPlane;
let kubelet: TestKubelet;
let hostDir: string;

beforeAll(async () => {
  await prepareImages();
  hostDir = mkdtempSync(join(tmpdir(), 'mk8s-hostpath-'));
  mkdirSync(join(hostDir, 'sub'));
  writeFileSync(join(hostDir, 'sub', 'file.txt'), 'from-host\n');
  symlinkSync('/etc', join(hostDir, 'escape'));
  cp = await startControlPlane();
  kubelet = await startKubelet(cp, NODE, '10.244.208.0/24');
});

afterAll(async () => {
  await kubelet?.stop();
  await removeNodeContainers(NODE);
  await cp?.stop();
  rmSync(hostDir, { recursive: true, force: true });
});

const logs = (): string => kubelet.proc.logs();
const waitingReason = (p: Pod): string | undefined => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;

describe('images', () => {
  it.concurrent.each([
    { name: 'img-never-missing', image: 'mk8s/does-not-exist:1', policy: 'Never', reasons: ['ErrImageNeverPull'] },
    { name: 'img-always-missing', image: 'mk8s/does-not-exist:1', policy: 'Always', reasons: ['ErrImagePull', 'ImagePullBackOff'] },
    { name: 'img-ifnotpresent-missing', image: 'mk8s/does-not-exist:2', policy: 'IfNotPresent', reasons: ['ErrImagePull', 'ImagePullBackOff'] },
  ] as const)('$policy with a missing image reports $reasons', async ({ name, image, policy, reasons }) => {
    // Every status the kubelet writes is seen through a watch: short-lived reasons are not missed.
    const seen = new Set<string>();
    const watch = cp.client.resource<Pod>(RESOURCES.pods).watch('default', { fieldSelector: `metadata.name=${name}` }, (ev) => {
      const r = waitingReason(ev.object);
      if (r) seen.add(r);
    });
    try {
      await createPod(cp.client, testPod(name, NODE, [{ name: 'main', image, imagePullPolicy: policy }]));
      await waitFor(() => reasons.every((x) => seen.has(x)), {
        timeoutMs: 60_000,
        message: () => `pod ${name}: waiting reasons ${reasons.join(', ')} (seen ${[...seen].join(', ')})\n${logs().slice(-3000)}`,
      });
    } finally {
      watch.stop();
    }
    const p = await waitForPod(cp.client, name, (x) => !!waitingReason(x), 'waiting');
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.containerStatuses?.[0]?.ready).toBe(false);
  });

  it('runs a present image with policy Never', async () => {
    await createPod(cp.client, testPod('img-never-present', NODE, [sh('main', 'sleep 3600', { imagePullPolicy: 'Never' })]));
    const p = await waitForPod(cp.client, 'img-never-present', isRunningReady, 'Running', 30_000, logs);
    expect(p.status?.containerStatuses?.[0]?.image).toBe(BUSYBOX);
    expect(p.status?.containerStatuses?.[0]?.imageID).toMatch(/^docker:\/\/sha256:/);
  });
});

describe('config and volumes', () => {
  it('reports CreateContainerConfigError for a missing ConfigMap', async () => {
    await createPod(
      cp.client,
      testPod('cfg-missing', NODE, [
        sh('main', 'sleep 3600', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }),
      ]),
    );
    const p = await waitForPod(cp.client, 'cfg-missing', (x) => waitingReason(x) === 'CreateContainerConfigError', 'config error', 30_000, logs);
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.message).toContain('configmap "nope" not found');
  });

  it('refuses a subPath that escapes its volume through a symlink', async () => {
    await createPod(
      cp.client,
      testPod('subpath-escape', NODE, [sh('main', 'sleep 3600', { volumeMounts: [{ name: 'h', mountPath: '/x', subPath: 'escape' }] })], {
        volumes: [{ name: 'h', hostPath: { path: hostDir } }],
      }),
    );
    const p = await waitForPod(cp.client, 'subpath-escape', (x) => waitingReason(x) === 'CreateContainerConfigError', 'config error', 30_000, logs);
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.message).toContain('escapes its volume');
  });

  it('mounts hostPath with subPath, expands env and downward API values', async () => {
    await createPod(
      cp.client,
      testPod('env-mounts', NODE, [
        sh('main', 'sleep 3600', {
          env: [
            { name: 'A', value: 'one' },
            { name: 'B', value: '$(A)-two' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          ],
          volumeMounts: [
            { name: 'h', mountPath: '/host-sub', subPath: 'sub', readOnly: true },
            { name: 'mem', mountPath: '/mem' },
          ],
          workingDir: '/host-sub',
        }),
      ], {
        volumes: [
          { name: 'h', hostPath: { path: hostDir } },
          { name: 'mem', emptyDir: { medium: 'Memory' } },
        ],
      }),
    );
    const p = await waitForPod(cp.client, 'env-mounts', isRunningReady, 'Running', 30_000, logs);
    const id = containerId(p, 'main');
    const out = await dockerExec(id, ['sh', '-c', 'echo "$B $POD_NAME $POD_IP $(pwd)"; cat file.txt; grep " /mem " /proc/mounts | cut -d" " -f3']);
    expect(out.output.split('\n').slice(0, 3)).toEqual([`one-two env-mounts ${p.status?.podIP} /host-sub`, 'from-host', 'tmpfs']);
  });

  it('applies securityContext and runs postStart and preStop hooks', async () => {
    const c = sh('main', 'sleep 3600', {
      volumeMounts: [{ name: 'h', mountPath: '/host' }],
    });
    Object.assign(c, {
      securityContext: { runAsUser: 1000, runAsGroup: 1000 },
      lifecycle: {
        postStart: { exec: { command: ['sh', '-c', 'echo started > /tmp/poststart'] } },
        preStop: { exec: { command: ['sh', '-c', 'echo stopping > /host/prestop-$(hostname)'] } },
      },
    });
    await createPod(cp.client, testPod('hooks', NODE, [c], { volumes: [{ name: 'h', hostPath: { path: hostDir } }] }));
    const p = await waitForPod(cp.client, 'hooks', isRunningReady, 'Running', 30_000, logs);
    const out = await dockerExec(containerId(p, 'main'), ['sh', '-c', 'id -u; cat /tmp/poststart']);
    expect(out.output).toBe('1000\nstarted\n');
    chmodSync(hostDir, 0o777);
    await cp.client.resource<Pod>(RESOURCES.pods).delete('default', 'hooks', { gracePeriodSeconds: 5 });
    await waitFor(() => existsSync(join(hostDir, 'prestop-hooks')), { timeoutMs: 20_000, message: () => logs().slice(-3000) });
    expect(readFileSync(join(hostDir, 'prestop-hooks'), 'utf8')).toBe('stopping\n');
  });
});
