/**
 * End-to-end: a kubelet restarted (SIGTERM, and SIGKILL) while pods run adopts its
 * containers from their labels: same container ids, no restarts, no new containers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, spawnComponent, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import {
  containerId,
  createPod,
  docker,
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

const NODE = `e2e-adopt-${process.pid}`;
let cp: TestControlPlane;
let kubelet: TestKubelet;

beforeAll(async () => {
  await prepareImages();
  cp = await startControlPlane();
  kubelet = await startKubelet(cp, NODE, '10.244.205.0/24');
});

afterAll(async () => {
  await kubelet?.stop();
  await removeNodeContainers(NODE);
  await cp?.stop();
});

const ids = async (): Promise<string[]> => (await nodeContainers(NODE)).map((c) => c.Id).sort();

describe('adoption after a kubelet restart', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('keeps containers running across a %s restart', async (signal) => {
    const name = `adopt-${signal.toLowerCase()}`;
    await createPod(
      cp.client,
      testPod(name, NODE, [sh('a', 'sleep 3600'), sh('b', 'sleep 3600', { resources: { limits: { memory: '32Mi' } } })], {
        volumes: [{ name: 'v', emptyDir: {} }],
      }),
    );
    const before = await waitForPod(cp.client, name, isRunningReady, 'Running', 60_000, () => kubelet.proc.logs());
    const containersBefore = await ids();
    if (signal === 'SIGTERM') await kubelet.proc.stop();
    else await kubelet.proc.kill9();
    // containers survive the kubelet
    const running = await docker.getContainer(containerId(before, 'a')).inspect();
    expect(running.State.Running).toBe(true);
    const proc = spawnComponent('kubelet', kubelet.args, { env: { LOG_LEVEL: 'info' } });
    kubelet = { ...kubelet, proc };
    // give the new kubelet time to list, relist and resync every pod twice
    await waitFor(() => proc.logs().includes('kubelet started'), { timeoutMs: 30_000, message: () => proc.logs() });
    await new Promise((r) => setTimeout(r, 5000));
    const after = await getPod(cp.client, name);
    expect(after.status?.containerStatuses?.map((c) => [c.containerID, c.restartCount])).toEqual(
      before.status?.containerStatuses?.map((c) => [c.containerID, 0]),
    );
    expect(await ids()).toEqual(containersBefore);
    expect(isRunningReady(after)).toBe(true);
    expect(after.status?.podIP).toBe(before.status?.podIP);
  });
});
