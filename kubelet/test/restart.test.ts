/**
 * End-to-end: restart policies and crash-loop back-off (the kubelet runs with a 1 s base
 * and 4 s cap), terminated states and pod phases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '@mk8s/shared';
import { startControlPlane, type TestControlPlane } from '@mk8s/shared/testing';
import { BUSYBOX, containerId, createPod, docker, dockerExec, nodeContainers, prepareImages, removeNodeContainers, sh, startKubelet, testPod, waitForPod, type TestKubelet } from './helpers.js';

const NODE = `e2e-restart-${process.pid}`;
let cp: TestControlPlane;
let kubelet: TestKubelet;

beforeAll(async () => {
  await prepareImages();
  cp = await startControlPlane();
  kubelet = await startKubelet(cp, NODE, '10.244.204.0/24');
});

afterAll(async () => {
  await kubelet?.stop();
  await removeNodeContainers(NODE);
  await cp?.stop();
});

const logs = (): string => kubelet.proc.logs();
const main = (p: Pod) => p.status?.containerStatuses?.[0];
/** fails the first two runs, succeeds on the third (state kept in an emptyDir) */
const failTwice = 'n=$(cat /d/n 2>/dev/null || echo 0); echo $((n+1)) > /d/n; [ "$n" -ge 2 ] && exit 0; exit 3';

describe('restart policies', () => {
  it.concurrent.each([
    { policy: 'Never', script: 'exit 0', phase: 'Succeeded', exitCode: 0, reason: 'Completed' },
    { policy: 'Never', script: 'exit 7', phase: 'Failed', exitCode: 7, reason: 'Error' },
    { policy: 'OnFailure', script: 'exit 0', phase: 'Succeeded', exitCode: 0, reason: 'Completed' },
  ] as const)('$policy with "$script" ends $phase', async ({ policy, script, phase, exitCode, reason }) => {
    const name = `rp-${policy.toLowerCase()}-${exitCode}`;
    await createPod(cp.client, testPod(name, NODE, [sh('main', script)], { restartPolicy: policy }));
    const p = await waitForPod(cp.client, name, (x) => x.status?.phase === phase, phase, 60_000, logs);
    const st = main(p);
    expect(st?.restartCount).toBe(0);
    expect(st?.state?.terminated).toMatchObject({ exitCode, reason });
    expect(st?.ready).toBe(false);
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
  });

  it('OnFailure restarts a failing container until it succeeds', async () => {
    const pod = testPod('rp-onfailure-retry', NODE, [sh('main', failTwice, { volumeMounts: [{ name: 'd', mountPath: '/d' }] })], {
      restartPolicy: 'OnFailure',
      volumes: [{ name: 'd', emptyDir: {} }],
    });
    await createPod(cp.client, pod);
    const p = await waitForPod(cp.client, 'rp-onfailure-retry', (x) => x.status?.phase === 'Succeeded', 'Succeeded', 60_000, logs);
    expect(main(p)?.restartCount).toBe(2);
    expect(main(p)?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(main(p)?.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('Always restarts an exiting container with CrashLoopBackOff in between', async () => {
    await createPod(cp.client, testPod('rp-always', NODE, [sh('main', 'exit 1')], { restartPolicy: 'Always' }));
    const backoff = await waitForPod(
      cp.client,
      'rp-always',
      (x) => main(x)?.state?.waiting?.reason === 'CrashLoopBackOff' && (main(x)?.restartCount ?? 0) >= 1,
      'CrashLoopBackOff',
      60_000,
      logs,
    );
    expect(backoff.status?.phase).toBe('Running');
    expect(main(backoff)?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const later = await waitForPod(cp.client, 'rp-always', (x) => (main(x)?.restartCount ?? 0) >= 3, 'restartCount >= 3', 60_000, logs);
    expect(later.status?.phase).toBe('Running');
  });

  it('runs init containers in order before the app containers', async () => {
    const mount = { volumeMounts: [{ name: 'd', mountPath: '/d' }] };
    await createPod(
      cp.client,
      testPod('init-order', NODE, [sh('main', 'cat /d/log; sleep 3600', mount)], {
        volumes: [{ name: 'd', emptyDir: {} }],
        initContainers: [sh('first', 'echo first >> /d/log', mount), sh('second', 'echo second >> /d/log', mount)],
      }),
    );
    const p = await waitForPod(cp.client, 'init-order', (x) => x.status?.phase === 'Running' && !!main(x)?.ready, 'Running', 60_000, logs);
    expect(p.status?.initContainerStatuses?.map((s) => [s.name, s.ready, s.state?.terminated?.reason])).toEqual([
      ['first', true, 'Completed'],
      ['second', true, 'Completed'],
    ]);
    expect(p.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    const log = await dockerExec(containerId(p, 'main'), ['cat', '/d/log']);
    expect(log.output).toBe('first\nsecond\n');
  });

  it('fails a Never pod whose init container fails, without starting app containers', async () => {
    await createPod(
      cp.client,
      testPod('init-fail', NODE, [sh('main', 'sleep 3600')], { restartPolicy: 'Never', initContainers: [sh('setup', 'exit 4')] }),
    );
    const p = await waitForPod(cp.client, 'init-fail', (x) => x.status?.phase === 'Failed', 'Failed', 60_000, logs);
    expect(p.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 4, reason: 'Error' });
    expect(main(p)?.state?.waiting?.reason).toBe('PodInitializing');
  });

  it('recreates a dead sandbox and restarts the containers in it', async () => {
    await createPod(cp.client, testPod('sandbox-dies', NODE, [sh('main', 'sleep 3600')]));
    const before = await waitForPod(cp.client, 'sandbox-dies', (x) => x.status?.phase === 'Running' && !!main(x)?.ready, 'Running', 60_000, logs);
    const pause = (await nodeContainers(NODE)).find(
      (c) => c.Labels['io.kubernetes.pod.uid'] === before.metadata.uid && c.Labels['io.kubernetes.docker.type'] === 'podsandbox',
    );
    await docker.getContainer(pause?.Id ?? '').kill();
    const after = await waitForPod(
      cp.client,
      'sandbox-dies',
      (x) => (main(x)?.restartCount ?? 0) >= 1 && !!main(x)?.ready,
      'restarted in a new sandbox',
      60_000,
      logs,
    );
    expect(main(after)?.containerID).not.toBe(main(before)?.containerID);
    expect(after.status?.podIP).toMatch(/^10\.244\.204\./);
    const sandboxes = (await nodeContainers(NODE)).filter(
      (c) => c.Labels['io.kubernetes.pod.uid'] === before.metadata.uid && c.Labels['io.kubernetes.docker.type'] === 'podsandbox',
    );
    expect(sandboxes.map((c) => c.State)).toEqual(['running']);
  });

  it('reports a container Docker cannot start and retries it with back-off', async () => {
    await createPod(cp.client, testPod('no-such-binary', NODE, [{ name: 'main', image: 'mk8s/busybox:1', command: ['/no/such/binary'] }]));
    const p = await waitForPod(cp.client, 'no-such-binary', (x) => (main(x)?.restartCount ?? 0) >= 2, 'restarted twice', 60_000, logs);
    expect(p.status?.phase).toBe('Running');
    expect(['RunContainerError', 'CrashLoopBackOff']).toContain(main(p)?.state?.waiting?.reason);
    expect(main(p)?.lastState?.terminated?.message ?? main(p)?.state?.waiting?.message).toContain('no such file');
  });

  it('reports OOMKilled for a container over its memory limit', async () => {
    await createPod(
      cp.client,
      testPod('oom', NODE, [{ name: 'main', image: BUSYBOX, command: ['tail', '/dev/zero'], resources: { limits: { memory: '16Mi' } } }], { restartPolicy: 'Never' }),
    );
    const p = await waitForPod(cp.client, 'oom', (x) => x.status?.phase === 'Failed', 'Failed', 60_000, logs);
    expect(main(p)?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it.concurrent.each([
    { name: 'term-file', script: 'echo -n bye > /dev/termination-log; exit 3', extra: {}, message: 'bye' },
    { name: 'term-custom-path', script: 'echo -n custom > /tmp/msg; exit 0', extra: { terminationMessagePath: '/tmp/msg' }, message: 'custom' },
    { name: 'term-logs', script: 'echo oops-in-logs; exit 2', extra: { terminationMessagePolicy: 'FallbackToLogsOnError' }, message: 'oops-in-logs\n' },
  ])('reports the termination message ($name)', async ({ name, script, extra, message }) => {
    await createPod(cp.client, testPod(name, NODE, [sh('main', script, extra)], { restartPolicy: 'Never' }));
    const p = await waitForPod(cp.client, name, (x) => !!main(x)?.state?.terminated, 'terminated', 60_000, logs);
    expect(main(p)?.state?.terminated?.message).toBe(message);
  });
});
