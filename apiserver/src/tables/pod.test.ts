import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod, PodStatus } from '@mk8s/shared';
import { printPod } from './pod.js';

const NOW = new Date('2026-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

function newPod(status: PodStatus, extra: { containers?: number; init?: string[]; sidecars?: string[]; deleting?: boolean; gates?: string[] } = {}): Pod {
  const containers = Array.from({ length: extra.containers ?? 1 }, (_, i) => ({ name: `c${i}`, image: 'busybox' }));
  const initContainers = [
    ...(extra.init ?? []).map((name) => ({ name, image: 'busybox' })),
    ...(extra.sidecars ?? []).map((name) => ({ name, image: 'busybox', restartPolicy: 'Always' })),
  ];
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(300), ...(extra.deleting ? { deletionTimestamp: ago(1) } : {}) },
    spec: { containers, ...(initContainers.length ? { initContainers } : {}), nodeName: 'node-1', ...(extra.gates ? { readinessGates: extra.gates.map((conditionType) => ({ conditionType })) } : {}) },
    status,
  };
  return pod as Pod;
}

const running = (name: string, ready = true, restartCount = 0, lastFinished?: string): ContainerStatus => ({
  name,
  ready,
  restartCount,
  image: 'busybox',
  imageID: '',
  state: { running: { startedAt: ago(100) } },
  ...(lastFinished ? { lastState: { terminated: { exitCode: 1, finishedAt: lastFinished } } } : {}),
});
const waiting = (name: string, reason: string, restartCount = 0): ContainerStatus => ({ name, ready: false, restartCount, image: 'busybox', imageID: '', state: { waiting: { reason } } });
const terminated = (name: string, exitCode: number, reason?: string, signal?: number): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: 'busybox',
  imageID: '',
  state: { terminated: { exitCode, ...(reason ? { reason } : {}), ...(signal ? { signal } : {}) } },
});

describe('printPod status, ready and restarts', () => {
  it.each<[string, Pod, string, string, string]>([
    ['pending without statuses', newPod({ phase: 'Pending' }), '0/1', 'Pending', '0'],
    ['running and ready', newPod({ phase: 'Running', containerStatuses: [running('c0')] }), '1/1', 'Running', '0'],
    ['one of two ready', newPod({ phase: 'Running', containerStatuses: [running('c0'), running('c1', false)] }, { containers: 2 }), '1/2', 'Running', '0'],
    ['crash loop with last restart age', newPod({ phase: 'Running', containerStatuses: [{ ...waiting('c0', 'CrashLoopBackOff', 5), lastState: { terminated: { exitCode: 1, finishedAt: ago(300) } } }] }), '0/1', 'CrashLoopBackOff', '5 (5m ago)'],
    ['image pull error', newPod({ phase: 'Pending', containerStatuses: [waiting('c0', 'ErrImagePull')] }), '0/1', 'ErrImagePull', '0'],
    ['container creating', newPod({ phase: 'Pending', containerStatuses: [waiting('c0', 'ContainerCreating')] }), '0/1', 'ContainerCreating', '0'],
    ['completed', newPod({ phase: 'Succeeded', containerStatuses: [terminated('c0', 0, 'Completed')] }), '0/1', 'Completed', '0'],
    ['error', newPod({ phase: 'Failed', containerStatuses: [terminated('c0', 2, 'Error')] }), '0/1', 'Error', '0'],
    ['exit code without reason', newPod({ phase: 'Failed', containerStatuses: [terminated('c0', 3)] }), '0/1', 'ExitCode:3', '0'],
    ['signal without reason', newPod({ phase: 'Failed', containerStatuses: [terminated('c0', 137, undefined, 9)] }), '0/1', 'Signal:9', '0'],
    ['restarted but running', newPod({ phase: 'Running', containerStatuses: [running('c0', true, 2, ago(45))] }), '1/1', 'Running', '2 (45s ago)'],
    ['terminating', newPod({ phase: 'Running', containerStatuses: [running('c0')] }, { deleting: true }), '1/1', 'Terminating', '0'],
    ['terminal pod being deleted keeps its reason', newPod({ phase: 'Succeeded', containerStatuses: [terminated('c0', 0, 'Completed')] }, { deleting: true }), '0/1', 'Completed', '0'],
    ['lost with its node', newPod({ phase: 'Running', reason: 'NodeLost' }, { deleting: true }), '0/1', 'Unknown', '0'],
    ['status reason wins over phase', newPod({ phase: 'Failed', reason: 'Evicted' }), '0/1', 'Evicted', '0'],
    ['scheduling gated', newPod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), '0/1', 'SchedulingGated', '0'],
    ['first init container running', newPod({ phase: 'Pending', initContainerStatuses: [running('i0', false)], containerStatuses: [waiting('c0', 'PodInitializing')] }, { init: ['i0', 'i1'] }), '0/1', 'Init:0/2', '0'],
    ['second init container running', newPod({ phase: 'Pending', initContainerStatuses: [terminated('i0', 0, 'Completed'), running('i1', false)] }, { init: ['i0', 'i1'] }), '0/1', 'Init:1/2', '0'],
    ['init container crash looping', newPod({ phase: 'Pending', initContainerStatuses: [waiting('i0', 'CrashLoopBackOff', 3)] }, { init: ['i0'] }), '0/1', 'Init:CrashLoopBackOff', '3'],
    ['init container failed', newPod({ phase: 'Pending', initContainerStatuses: [terminated('i0', 1, 'Error')] }, { init: ['i0'] }), '0/1', 'Init:Error', '0'],
    ['init container exit code', newPod({ phase: 'Pending', initContainerStatuses: [terminated('i0', 4)] }, { init: ['i0'] }), '0/1', 'Init:ExitCode:4', '0'],
    ['started sidecar counts as a container', newPod({ phase: 'Running', initContainerStatuses: [{ ...running('s0'), started: true }], containerStatuses: [running('c0')], conditions: [{ type: 'Initialized', status: 'True' }] }, { sidecars: ['s0'] }), '2/2', 'Running', '0'],
    ['completed with a container still running', newPod({ phase: 'Running', containerStatuses: [running('c1'), terminated('c0', 0, 'Completed')], conditions: [{ type: 'Ready', status: 'False' }] }, { containers: 2 }), '1/2', 'NotReady', '0'],
  ])('%s', (_name, pod, ready, status, restarts) => {
    const cells = printPod(pod, NOW).cells;
    expect(cells.slice(0, 4)).toEqual(['web', ready, status, restarts]);
  });
});

describe('printPod wide cells and conditions', () => {
  it('fills IP, node, nominated node and readiness gates', () => {
    const pod = newPod(
      { phase: 'Running', podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }], containerStatuses: [running('c0')], conditions: [{ type: 'example.com/gate', status: 'True' }] },
      { gates: ['example.com/gate', 'example.com/other'] },
    );
    expect(printPod(pod, NOW).cells).toEqual(['web', '1/1', 'Running', '0', '5m', '10.1.0.5', 'node-1', '<none>', '1/2']);
  });

  it('shows <none> for unscheduled pods', () => {
    const pod = newPod({ phase: 'Pending' });
    pod.spec.nodeName = undefined;
    expect(printPod(pod, NOW).cells.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });

  it.each([
    ['Succeeded', 'The pod has completed successfully.'],
    ['Failed', 'The pod failed.'],
  ] as const)('marks %s pods as completed rows', (phase, message) => {
    expect(printPod(newPod({ phase }), NOW).conditions).toEqual([{ type: 'Completed', status: 'True', reason: phase, message }]);
  });
});
