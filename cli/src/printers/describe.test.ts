import { describe, it, expect } from 'vitest';
import type { Event, Pod, Secret } from '@mk8s/shared';
import { describeObject } from './describe-kinds.js';
import { formatTime } from './describe.js';
import { humanDuration } from './age.js';

const now = new Date('2026-01-01T12:00:00Z');

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'default',
    uid: 'u1',
    labels: { app: 'web', tier: 'fe' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'r', controller: true }],
  },
  spec: {
    nodeName: 'node-1',
    containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 1d'], ports: [{ containerPort: 80 }] }],
    volumes: [{ name: 'data', emptyDir: {} }],
  },
  status: {
    phase: 'Running',
    podIP: '10.1.0.5',
    podIPs: [{ ip: '10.1.0.5' }],
    hostIP: '172.17.0.2',
    startTime: '2026-01-01T11:00:00Z',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      {
        name: 'app',
        ready: true,
        restartCount: 2,
        image: 'busybox',
        imageID: 'sha',
        containerID: 'docker://abc',
        state: { running: { startedAt: '2026-01-01T11:30:00Z' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-01-01T11:10:00Z', finishedAt: '2026-01-01T11:20:00Z' } },
      },
    ],
  },
};

const events: Event[] = [
  {
    metadata: { name: 'e1' },
    involvedObject: { name: 'web-1' },
    type: 'Normal',
    reason: 'Scheduled',
    message: 'Successfully assigned default/web-1 to node-1',
    source: { component: 'default-scheduler' },
    lastTimestamp: '2026-01-01T11:59:30Z',
  },
  {
    metadata: { name: 'e2' },
    involvedObject: { name: 'web-1' },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container',
    source: { component: 'kubelet', host: 'node-1' },
    count: 3,
    firstTimestamp: '2026-01-01T11:50:00Z',
    lastTimestamp: '2026-01-01T11:59:50Z',
  },
];

describe('describe pod', () => {
  const text = describeObject({ obj: pod, kind: 'Pod', namespaced: true, events, now });
  it.each([
    { name: 'aligned header fields', line: 'Name:         web-1' },
    { name: 'node with host IP', line: 'Node:         node-1/172.17.0.2' },
    { name: 'first label', line: 'Labels:       app=web' },
    { name: 'continued label', line: '              tier=fe' },
    { name: 'annotations without last-applied', line: 'Annotations:  <none>' },
    { name: 'controller', line: 'Controlled By:  ReplicaSet/web-abc' },
    { name: 'container state', line: '    State:          Running' },
    { name: 'last state reason', line: '      Reason:       Error' },
    { name: 'restart count', line: '    Restart Count:  2' },
    { name: 'command item', line: '      sleep 1d' },
    { name: 'volume type', line: "    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)" },
    { name: 'events header', line: '  Type     Reason     Age                From               Message' },
    { name: 'event row', line: '  Normal   Scheduled  30s                default-scheduler  Successfully assigned default/web-1 to node-1' },
    { name: 'repeated event', line: '  Warning  BackOff    10s (x3 over 10m)  kubelet            Back-off restarting failed container' },
  ])('$name', ({ line }) => expect(text.split('\n')).toContain(line));
});

describe('describe secret', () => {
  const s: Secret = { kind: 'Secret', metadata: { name: 's', namespace: 'default' }, type: 'Opaque', data: { password: Buffer.from('hunter22').toString('base64') } };
  const text = describeObject({ obj: s, kind: 'Secret', namespaced: true, events: [], now });
  it('shows sizes, never values, and no events (as kubectl)', () => {
    expect(text).toContain('password:  8 bytes');
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain(s.data!.password!);
    expect(text).not.toContain('Events:');
  });
});

describe('describe generic', () => {
  it('falls back to a field dump', () => {
    const text = describeObject({ obj: { apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w', namespace: 'n' }, spec: { size: 3 } } as never, kind: 'Widget', namespaced: true, now });
    expect(text).toContain('Kind:         Widget');
    expect(text).toContain('  Size:  3');
  });
});

describe('time formats', () => {
  it.each([
    { ms: 0, want: '0s' },
    { ms: 59_000, want: '59s' },
    { ms: 150_000, want: '2m30s' },
    { ms: 45 * 60_000, want: '45m' },
    { ms: (5 * 60 + 12) * 60_000, want: '5h12m' },
    { ms: 30 * 3600_000, want: '30h' },
    { ms: (3 * 24 + 4) * 3600_000, want: '3d4h' },
    { ms: 45 * 24 * 3600_000, want: '45d' },
    { ms: -5000, want: '<invalid>' },
  ])('humanDuration $want', ({ ms, want }) => expect(humanDuration(ms)).toBe(want));
  it('formatTime is RFC1123Z', () => expect(formatTime('2026-01-01T11:00:00Z')).toBe('Thu, 01 Jan 2026 11:00:00 +0000'));
});

import { nodeRoles, podResource } from './describe-node.js';
import type { Node } from '@mk8s/shared';

describe('describe node', () => {
  const node: Node = {
    metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'n1' }, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { podCIDR: '10.244.1.0/24' },
    status: { allocatable: { cpu: '2', memory: '4Gi' }, capacity: { cpu: '2', memory: '4Gi' }, addresses: [{ type: 'InternalIP', address: '10.0.0.9' }] },
  };
  const onNode: Pod = {
    metadata: { name: 'p', namespace: 'default', creationTimestamp: '2026-01-01T11:59:00Z' },
    spec: {
      containers: [
        { name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } },
        { name: 'b', resources: { requests: { cpu: '250m' } } },
      ],
    },
  };
  const text = describeObject({ obj: node, kind: 'Node', namespaced: false, podsOnNode: [onNode], lease: 'leases.coordination.k8s.io "n1" not found', events: [], now });
  it.each([
    { name: 'roles', line: 'Roles:              control-plane' },
    { name: 'missing lease', line: 'Lease:              Failed to get lease: leases.coordination.k8s.io "n1" not found' },
    { name: 'pod count', line: 'Non-terminated Pods:  (1 in total)' },
    { name: 'pod row with shares of allocatable', line: '  default             p       350m (17%)    500m (25%)  64Mi (1%)        128Mi (3%)     60s' },
    { name: 'allocated cpu', line: '  cpu                350m (17%)  500m (25%)' },
    { name: 'allocated storage', line: '  ephemeral-storage  0 (0%)      0 (0%)' },
  ])('$name', ({ line }) => expect(text.split('\n')).toContain(line));

  it.each([
    { labels: undefined, want: '<none>' },
    { labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/infra': 'x' }, want: 'infra,worker' },
    { labels: { 'kubernetes.io/role': 'master' }, want: 'master' },
  ])('roles $want', ({ labels, want }) => expect(nodeRoles(labels)).toBe(want));

  it.each([
    { kind: 'requests' as const, r: 'cpu', want: '350m' },
    { kind: 'limits' as const, r: 'memory', want: '128Mi' },
    { kind: 'limits' as const, r: 'ephemeral-storage', want: '0' },
  ])('podResource $kind $r', ({ kind, r, want }) => expect(podResource(onNode, kind, r)).toBe(want));
});
