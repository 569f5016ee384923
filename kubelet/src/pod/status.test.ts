import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod, ResourceRequirements } from '@mk8s/shared';
import { computePodStatus, containerStatus, podPhase, qosClass, type ContainerView, type ObservedContainer } from './status.js';

const NOW = '2026-01-01T00:00:10Z';
const EARLIER = '2026-01-01T00:00:00Z';

const pod = (policy: 'Always' | 'OnFailure' | 'Never' = 'Always', status?: Pod['status']): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers: [{ name: 'a', image: 'img' }], restartPolicy: policy },
  ...(status ? { status } : {}),
});

const running = (o: Partial<ObservedContainer> = {}): ObservedContainer => ({ id: 'c1', running: true, exitCode: 0, oomKilled: false, startedAt: EARLIER, restartCount: 0, imageId: 'sha256:1', ...o });
const exited = (exitCode: number, o: Partial<ObservedContainer> = {}): ObservedContainer =>
  running({ running: false, exitCode, finishedAt: NOW, ...o });
const view = (o: Partial<ContainerView>): ContainerView => ({ name: 'a', image: 'img', ready: false, started: false, ...o });

describe('containerStatus', () => {
  it.each([
    { name: 'no container yet', v: view({}), state: { waiting: { reason: 'ContainerCreating' } }, last: {}, restarts: 0 },
    { name: 'image error', v: view({ waiting: { reason: 'ErrImagePull', message: 'm' } }), state: { waiting: { reason: 'ErrImagePull', message: 'm' } }, last: {}, restarts: 0 },
    { name: 'running', v: view({ current: running(), ready: true, started: true }), state: { running: { startedAt: EARLIER } }, last: {}, restarts: 0 },
    {
      name: 'completed',
      v: view({ current: exited(0) }),
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: EARLIER, finishedAt: NOW, containerID: 'docker://c1' } },
      last: {},
      restarts: 0,
    },
    {
      name: 'OOM killed',
      v: view({ current: exited(137, { oomKilled: true }) }),
      state: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: EARLIER, finishedAt: NOW, containerID: 'docker://c1' } },
      last: {},
      restarts: 0,
    },
    {
      name: 'crash loop',
      v: view({ current: exited(1, { restartCount: 2 }), waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } }),
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
      last: { terminated: { exitCode: 1, reason: 'Error', startedAt: EARLIER, finishedAt: NOW, containerID: 'docker://c1' } },
      restarts: 2,
    },
    {
      name: 'restarted and running',
      v: view({ current: running({ id: 'c2', restartCount: 1 }), previous: exited(1), ready: true, started: true }),
      state: { running: { startedAt: EARLIER } },
      last: { terminated: { exitCode: 1, reason: 'Error', startedAt: EARLIER, finishedAt: NOW, containerID: 'docker://c1' } },
      restarts: 1,
    },
  ])('$name', ({ v, state, last, restarts }) => {
    const s = containerStatus(v);
    expect(s.state).toEqual(state);
    expect(s.lastState).toEqual(last);
    expect(s.restartCount).toBe(restarts);
    expect(s.ready).toBe(v.ready && v.current?.running === true);
  });
});

describe('podPhase', () => {
  const st = (v: Partial<ContainerView>) => [containerStatus(view(v))];
  it.each([
    { name: 'waiting to start', policy: 'Always', s: st({}), want: 'Pending' },
    { name: 'running', policy: 'Always', s: st({ current: running() }), want: 'Running' },
    { name: 'crash loop stays Running', policy: 'Always', s: st({ current: exited(1), waiting: { reason: 'CrashLoopBackOff' } }), want: 'Running' },
    { name: 'Never + exit 0', policy: 'Never', s: st({ current: exited(0) }), want: 'Succeeded' },
    { name: 'Never + exit 1', policy: 'Never', s: st({ current: exited(1) }), want: 'Failed' },
    { name: 'OnFailure + exit 0', policy: 'OnFailure', s: st({ current: exited(0) }), want: 'Succeeded' },
    { name: 'OnFailure + exit 1 backing off', policy: 'OnFailure', s: st({ current: exited(1), waiting: { reason: 'CrashLoopBackOff' } }), want: 'Running' },
    { name: 'no containers', policy: 'Always', s: [] as ContainerStatus[], want: 'Pending' },
  ] as const)('$name -> $want', ({ policy, s, want }) => {
    expect(podPhase(pod(policy), s)).toBe(want);
  });

  it('never leaves a terminal phase', () => {
    expect(podPhase(pod('Always', { phase: 'Succeeded' }), [containerStatus(view({ current: running() }))])).toBe('Succeeded');
  });
});

describe('computePodStatus', () => {
  it('reports a ready running pod with IPs, start time and stable transition times', () => {
    const old = { phase: 'Running' as const, startTime: EARLIER, conditions: [{ type: 'Ready', status: 'True' as const, lastTransitionTime: EARLIER }] };
    const s = computePodStatus({ pod: pod('Always', old), containers: [view({ current: running(), ready: true, started: true })], podIp: '10.244.1.2', hostIp: '10.0.0.1', now: NOW });
    expect(s).toMatchObject({ phase: 'Running', podIP: '10.244.1.2', podIPs: [{ ip: '10.244.1.2' }], hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.1' }], startTime: EARLIER, qosClass: 'BestEffort' });
    const conds = Object.fromEntries((s.conditions ?? []).map((c) => [c.type, c]));
    expect(conds.Ready).toMatchObject({ status: 'True', lastTransitionTime: EARLIER });
    expect(conds.ContainersReady).toMatchObject({ status: 'True', lastTransitionTime: NOW });
    expect(conds.PodScheduled?.status).toBe('True');
    expect(conds.Initialized?.status).toBe('True');
  });

  it('names unready containers and marks completed pods', () => {
    const notReady = computePodStatus({ pod: pod(), containers: [view({ current: running() })], now: NOW });
    expect(notReady.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a]' });
    const done = computePodStatus({ pod: pod('Never'), containers: [view({ current: exited(0) })], now: NOW });
    expect(done.phase).toBe('Succeeded');
    expect(done.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });
});

describe('qosClass', () => {
  it.each<{ name: string; r?: ResourceRequirements; want: string }>([
    { name: 'no resources', r: undefined, want: 'BestEffort' },
    { name: 'limits only', r: { limits: { cpu: '1', memory: '1Gi' } }, want: 'Guaranteed' },
    { name: 'requests equal limits', r: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, want: 'Guaranteed' },
    { name: 'requests below limits', r: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } }, want: 'Burstable' },
    { name: 'memory only', r: { limits: { memory: '1Gi' } }, want: 'Burstable' },
  ])('$name', ({ r, want }) => {
    const p = pod();
    if (r) p.spec.containers[0]!.resources = r;
    expect(qosClass(p)).toBe(want);
  });
});

describe('init containers', () => {
  const withInit = (policy: 'Always' | 'Never' = 'Always'): Pod => ({ ...pod(policy), spec: { ...pod(policy).spec, initContainers: [{ name: 'i', image: 'img' }] } });
  const app = view({ waiting: { reason: 'PodInitializing' } });
  it.each([
    { name: 'running init', init: view({ name: 'i', current: running() }), policy: 'Always', phase: 'Pending', initialized: 'False' },
    { name: 'init done', init: view({ name: 'i', current: exited(0), ready: true }), policy: 'Always', phase: 'Pending', initialized: 'True' },
    { name: 'init failed, Never', init: view({ name: 'i', current: exited(1) }), policy: 'Never', phase: 'Failed', initialized: 'False' },
    { name: 'init failed, backing off', init: view({ name: 'i', current: exited(1), waiting: { reason: 'CrashLoopBackOff' } }), policy: 'Always', phase: 'Pending', initialized: 'False' },
  ] as const)('$name', ({ init, policy, phase, initialized }) => {
    const s = computePodStatus({ pod: withInit(policy), containers: [app], initContainers: [init], now: NOW });
    expect(s.phase).toBe(phase);
    expect(s.conditions?.find((c) => c.type === 'Initialized')?.status).toBe(initialized);
    expect(s.initContainerStatuses?.[0]?.name).toBe('i');
  });
});
