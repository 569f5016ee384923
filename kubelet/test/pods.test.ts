/**
 * End-to-end: one kubelet on real Docker against a real apiserver. Pods sharing an emptyDir
 * and localhost, hostPort from the host, resource limits in Docker, status fields, deletion
 * removing containers, and liveness/readiness/startup probes driving status and restarts
 * (the probe runners themselves are tested in probes.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { RESOURCES, type Event, type Pod } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import {
  BUSYBOX,
  containerId,
  createPod,
  docker,
  dockerExec,
  getPod,
  isRunningReady,
  nodeContainers,
  prepareImages,
  removeNodeContainers,
  sh,
  startKubelet,
  testPod,
  waitForPod,
  type TestKubelet,
} from './helpers.js';

const NODE = `e2e-pods-${process.pid}`;
let cp: TestControlPlane;
let kubelet: TestKubelet;

beforeAll(async () => {
  await prepareImages();
  cp = await startControlPlane();
  kubelet = await startKubelet(cp, NODE, '10.244.201.0/24');
});

afterAll(async () => {
  await kubelet?.stop();
  await removeNodeContainers(NODE);
  await cp?.stop();
});

const logs = (): string => kubelet.proc.logs();

describe('kubelet pods', () => {
  it('runs two containers sharing an emptyDir and localhost', async () => {
    const pod = testPod(
      'shared-vol',
      NODE,
      [
        sh('writer', 'echo hello-from-writer > /data/msg; httpd -f -p 8080 -h /data'),
        sh('reader', 'sleep 3600', { volumeMounts: [{ name: 'data', mountPath: '/shared', readOnly: true }] }),
      ],
      { volumes: [{ name: 'data', emptyDir: {} }] },
    );
    pod.spec.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/data' }];
    await createPod(cp.client, pod);
    const running = await waitForPod(cp.client, 'shared-vol', isRunningReady, 'Running and Ready', 60_000, logs);
    expect(running.status?.podIP).toMatch(/^10\.244\.201\./);
    expect(running.status?.hostIP).toBe('127.0.0.1');
    expect(running.status?.startTime).toBeTruthy();
    expect(running.status?.containerStatuses?.map((c) => [c.name, c.ready, c.restartCount])).toEqual([
      ['writer', true, 0],
      ['reader', true, 0],
    ]);
    const reader = containerId(running, 'reader');
    const read = await waitFor(async () => {
      const r = await dockerExec(reader, ['cat', '/shared/msg']);
      return r.output.includes('hello-from-writer') ? r : undefined;
    });
    expect(read.output.trim()).toBe('hello-from-writer');
    const viaLocalhost = await waitFor(async () => {
      const r = await dockerExec(reader, ['timeout', '5', 'wget', '-qO-', 'http://127.0.0.1:8080/msg']);
      return r.exitCode === 0 ? r : undefined;
    });
    expect(viaLocalhost.output.trim()).toBe('hello-from-writer');
    const ro = await dockerExec(reader, ['sh', '-c', 'echo x > /shared/y']);
    expect(ro.exitCode).not.toBe(0);
    const conds = Object.fromEntries((running.status?.conditions ?? []).map((c) => [c.type, c.status]));
    expect(conds).toMatchObject({ PodScheduled: 'True', Initialized: 'True', ContainersReady: 'True', Ready: 'True' });
  });

  it('publishes hostPort on the host', async () => {
    const port = 31000 + (process.pid % 1000);
    await createPod(
      cp.client,
      testPod('host-port', NODE, [sh('web', 'echo port-ok > /tmp/index.html; httpd -f -p 80 -h /tmp', { ports: [{ containerPort: 80, hostPort: port }] })]),
    );
    await waitForPod(cp.client, 'host-port', isRunningReady, 'Running', 60_000, logs);
    const body = await waitFor(
      () =>
        new Promise<string | undefined>((resolve) => {
          http
            .get({ host: '127.0.0.1', port, path: '/index.html', timeout: 2000 }, (res) => {
              let b = '';
              res.on('data', (c: Buffer) => (b += c.toString()));
              res.on('end', () => resolve(res.statusCode === 200 ? b : undefined));
            })
            .on('error', () => resolve(undefined));
        }),
      { timeoutMs: 20_000 },
    );
    expect(body.trim()).toBe('port-ok');
    // a second pod asking for the same hostPort cannot get its sandbox
    await createPod(cp.client, testPod('host-port-2', NODE, [sh('web', 'sleep 3600', { ports: [{ containerPort: 80, hostPort: port }] })]));
    const blocked = await waitForPod(
      cp.client,
      'host-port-2',
      (p) => (p.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '').includes('Failed to create pod sandbox'),
      'sandbox failure reported',
      30_000,
      logs,
    );
    expect(blocked.status?.phase).toBe('Pending');
    expect(blocked.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
  });

  it('enforces cpu and memory limits through Docker', async () => {
    await createPod(
      cp.client,
      testPod('limits', NODE, [
        sh('main', 'sleep 3600', { resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m', memory: '32Mi' } } }),
      ]),
    );
    const p = await waitForPod(cp.client, 'limits', isRunningReady, 'Running', 60_000, logs);
    const info = await docker.getContainer(containerId(p, 'main')).inspect();
    expect(info.HostConfig.NanoCpus).toBe(500_000_000);
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(info.HostConfig.CpuShares).toBe(256);
    expect(info.Config.Image).toBe(BUSYBOX);
  });

  it('deletes a pod gracefully and removes its containers', async () => {
    await createPod(cp.client, testPod('to-delete', NODE, [sh('main', 'trap "exit 0" TERM; while true; do sleep 0.2; done')]));
    const p = await waitForPod(cp.client, 'to-delete', isRunningReady, 'Running', 60_000, logs);
    const uid = p.metadata.uid ?? '';
    const mine = async () => (await nodeContainers(NODE)).filter((c) => c.Labels['io.kubernetes.pod.uid'] === uid);
    expect((await mine()).length).toBe(2);
    await cp.client.resource<Pod>(RESOURCES.pods).delete('default', 'to-delete', { gracePeriodSeconds: 5 });
    await waitFor(
      async () => {
        try {
          await getPod(cp.client, 'to-delete');
          return false;
        } catch {
          return true;
        }
      },
      { timeoutMs: 30_000, message: () => `pod not deleted\n${logs().slice(-3000)}` },
    );
    expect(await mine()).toEqual([]);
    const events = await cp.client.resource<Event>(RESOURCES.events).list('default');
    const reasons = events.items.filter((e) => e.involvedObject.uid === uid).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Created', 'Started', 'Killing']));
  });

  it('removes containers of pods that are no longer in the API', async () => {
    await createPod(cp.client, testPod('force-gone', NODE, [sh('main', 'sleep 3600')]));
    const p = await waitForPod(cp.client, 'force-gone', isRunningReady, 'Running', 60_000, logs);
    const uid = p.metadata.uid ?? '';
    await cp.client.resource<Pod>(RESOURCES.pods).delete('default', 'force-gone', { gracePeriodSeconds: 0 });
    await waitFor(async () => (await nodeContainers(NODE)).every((c) => c.Labels['io.kubernetes.pod.uid'] !== uid), {
      timeoutMs: 30_000,
      message: () => `containers of force-gone remain\n${logs().slice(-3000)}`,
    });
    expect((await nodeContainers(NODE)).filter((c) => c.Labels['io.kubernetes.pod.uid'] === uid)).toEqual([]);
  });
});

const status = (p: Pod) => p.status?.containerStatuses?.[0];
const fast = { periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 5 };
/** probes expected to pass get slack for a loaded Docker daemon */
const tolerant = { periodSeconds: 1, failureThreshold: 5, timeoutSeconds: 10 };
const reasonsFor = async (uid: string): Promise<string[]> =>
  (await cp.client.resource<Event>(RESOURCES.events).list('default')).items.filter((e) => e.involvedObject.uid === uid).map((e) => e.reason ?? '');

describe('probes', () => {
  it('restarts a container whose liveness probe fails', async () => {
    await createPod(
      cp.client,
      testPod('live-fail', NODE, [
        sh('main', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; sleep 3600', { livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, ...fast } }),
      ]),
    );
    const p = await waitForPod(cp.client, 'live-fail', (x) => (status(x)?.restartCount ?? 0) >= 1, 'restarted', 60_000, logs);
    expect(status(p)?.lastState?.terminated?.exitCode).toBe(137);
    const reasons = await waitFor(async () => {
      const r = await reasonsFor(p.metadata.uid ?? '');
      return r.includes('Unhealthy') && r.includes('Killing') ? r : undefined;
    });
    expect(reasons).toEqual(expect.arrayContaining(['Unhealthy', 'Killing']));
  });

  it('keeps a container with a passing liveness probe at restartCount 0', async () => {
    await createPod(
      cp.client,
      testPod('live-ok', NODE, [sh('main', 'sleep 3600', { livenessProbe: { exec: { command: ['true'] }, ...tolerant } })]),
    );
    await waitForPod(cp.client, 'live-ok', isRunningReady, 'Running', 60_000, logs);
    await new Promise((r) => setTimeout(r, 4000));
    expect(status(await getPod(cp.client, 'live-ok'))?.restartCount).toBe(0);
  });

  it('keeps a pod with a failing readiness probe not Ready without restarts', async () => {
    await createPod(
      cp.client,
      testPod('ready-fail', NODE, [sh('main', 'sleep 3600', { readinessProbe: { exec: { command: ['false'] }, ...fast } })]),
    );
    const p = await waitForPod(cp.client, 'ready-fail', (x) => x.status?.phase === 'Running', 'Running', 60_000, logs);
    await new Promise((r) => setTimeout(r, 3000));
    const later = await getPod(cp.client, 'ready-fail');
    expect(status(later)).toMatchObject({ ready: false, restartCount: 0, started: true });
    expect(later.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(p.status?.podIP).toBeTruthy();
  });

  it('turns Ready when an httpGet readiness probe succeeds, after the startup probe', async () => {
    await createPod(
      cp.client,
      testPod('ready-http', NODE, [
        sh('main', 'sleep 1; echo ok > /tmp/index.html; touch /tmp/started; httpd -f -p 8080 -h /tmp', {
          ports: [{ name: 'http', containerPort: 8080 }],
          startupProbe: { exec: { command: ['test', '-f', '/tmp/started'] }, ...tolerant, failureThreshold: 60 },
          readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, ...tolerant, failureThreshold: 3 },
        }),
      ]),
    );
    const p = await waitForPod(cp.client, 'ready-http', isRunningReady, 'Ready', 60_000, logs);
    expect(status(p)).toMatchObject({ ready: true, started: true, restartCount: 0 });
  });
});
