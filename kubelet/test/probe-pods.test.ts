/**
 * End-to-end: liveness, readiness and startup probes driving pod status and restarts
 * (the probe runners themselves are tested in probes.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Event, type Pod } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import { createPod, getPod, isRunningReady, prepareImages, removeNodeContainers, sh, startKubelet, testPod, waitForPod, type TestKubelet } from './helpers.js';

const NODE = `e2e-probes-${process.pid}`;
let cp: TestControlPlane;
let kubelet: TestKubelet;

beforeAll(async () => {
  await prepareImages();
  cp = await startControlPlane();
  kubelet = await startKubelet(cp, NODE, '10.244.209.0/24');
});

afterAll(async () => {
  await kubelet?.stop();
  await removeNodeContainers(NODE);
  await cp?.stop();
});

const logs = (): string => kubelet.proc.logs();
const status = (p: Pod) => p.status?.containerStatuses?.[0];
const fast = { periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 1 };
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
      testPod('live-ok', NODE, [sh('main', 'sleep 3600', { livenessProbe: { exec: { command: ['true'] }, ...fast } })]),
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
          startupProbe: { exec: { command: ['test', '-f', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 30 },
          readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
        }),
      ]),
    );
    const p = await waitForPod(cp.client, 'ready-http', isRunningReady, 'Ready', 60_000, logs);
    expect(status(p)).toMatchObject({ ready: true, started: true, restartCount: 0 });
  });
});
