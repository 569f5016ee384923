import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@mk8s/shared';
import { humanDuration } from './duration.js';
import { printerFor } from './table.js';

const NOW = new Date('2026-01-01T12:00:00Z');
const created = new Date(NOW.getTime() - 2 * 86400_000 - 3 * 3600_000).toISOString(); // 2d3h ago

function obj(kind: string, name: string, body: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { kind, metadata: { name, namespace: 'default', creationTimestamp: created, ...meta }, ...body } as KubeObject;
}

describe('humanDuration', () => {
  it.each<[string, number, string]>([
    ['clock skew of a second', -1500, '0s'],
    ['invalid future', -5000, '<invalid>'],
    ['seconds', 5_000, '5s'],
    ['just under two minutes', 119_000, '119s'],
    ['minutes and seconds', 200_000, '3m20s'],
    ['whole minutes', 300_000, '5m'],
    ['minutes only past ten', 754_000, '12m'],
    ['hours and minutes', (3 * 60 + 25) * 60_000, '3h25m'],
    ['whole hours', 5 * 3600_000, '5h'],
    ['hours only past eight', 20 * 3600_000 + 59 * 60_000, '20h'],
    ['days and hours', (2 * 24 + 3) * 3600_000, '2d3h'],
    ['whole days', 3 * 86400_000, '3d'],
    ['days only past eight', 100 * 86400_000 + 5 * 3600_000, '100d'],
    ['years and days', (3 * 365 + 12) * 86400_000, '3y12d'],
    ['years', 10 * 365 * 86400_000, '10y'],
  ])('%s', (_n, ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

interface Case {
  name: string;
  object: KubeObject;
  columns: string[];
  cells: unknown[];
}

const cases: Case[] = [
  {
    name: 'ready node with roles and addresses',
    object: obj(
      'Node',
      'node-1',
      {
        spec: { unschedulable: true },
        status: {
          conditions: [{ type: 'Ready', status: 'True' }],
          addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
          nodeInfo: { kubeletVersion: 'v1.32.0-mk8s', osImage: 'Debian', kernelVersion: '6.1.0', containerRuntimeVersion: 'docker://20.10' },
        },
      },
      { namespace: undefined, labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' } },
    ),
    columns: ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    cells: ['node-1', 'Ready,SchedulingDisabled', 'control-plane,worker', '2d3h', 'v1.32.0-mk8s', '172.18.0.2', '<none>', 'Debian', '6.1.0', 'docker://20.10'],
  },
  {
    name: 'node without conditions',
    object: obj('Node', 'node-2', { status: {} }),
    columns: ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    cells: ['node-2', 'Unknown', '<none>', '2d3h', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'not-ready node',
    object: obj('Node', 'node-3', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }),
    columns: ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    cells: ['node-3', 'NotReady', '<none>', '2d3h', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'namespace',
    object: obj('Namespace', 'dev', { status: { phase: 'Terminating' } }),
    columns: ['Name', 'Status', 'Age'],
    cells: ['dev', 'Terminating', '2d3h'],
  },
  {
    name: 'node-port service',
    object: obj('Service', 'web', { spec: { type: 'NodePort', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { tier: 'fe', app: 'web' } } }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
    cells: ['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '2d3h', 'app=web,tier=fe'],
  },
  {
    name: 'headless service without ports or selector',
    object: obj('Service', 'db', { spec: { clusterIP: 'None' } }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
    cells: ['db', 'ClusterIP', 'None', '<none>', '<none>', '2d3h', '<none>'],
  },
  {
    name: 'pending load balancer',
    object: obj('Service', 'lb', { spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [{ port: 443, nodePort: 31443 }] } }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
    cells: ['lb', 'LoadBalancer', '10.96.0.11', '<pending>', '443:31443/TCP', '2d3h', '<none>'],
  },
  {
    name: 'endpoints with more than three addresses',
    object: obj('Endpoints', 'web', {
      subsets: [
        { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }], ports: [{ port: 80 }, { port: 443 }] },
        { addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] },
      ],
    }),
    columns: ['Name', 'Endpoints', 'Age'],
    cells: ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 4 more...', '2d3h'],
  },
  {
    name: 'empty endpoints',
    object: obj('Endpoints', 'none', {}),
    columns: ['Name', 'Endpoints', 'Age'],
    cells: ['none', '<none>', '2d3h'],
  },
  {
    name: 'event',
    object: obj('Event', 'web.123', {
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{c}' },
      reason: 'Pulled',
      message: 'Container image pulled \n',
      type: 'Normal',
      count: 3,
      firstTimestamp: new Date(NOW.getTime() - 600_000).toISOString(),
      lastTimestamp: new Date(NOW.getTime() - 30_000).toISOString(),
      source: { component: 'kubelet', host: 'node-1' },
    }),
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name'],
    cells: ['30s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{c}', 'kubelet, node-1', 'Container image pulled', '10m', 3, 'web.123'],
  },
  {
    name: 'event with only eventTime',
    object: obj('Event', 'e2', { involvedObject: { kind: 'Node' }, eventTime: new Date(NOW.getTime() - 5_000).toISOString(), reportingComponent: 'scheduler' }),
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name'],
    cells: ['5s', '', '', 'node', '', 'scheduler', '', '5s', 1, 'e2'],
  },
  {
    name: 'config map',
    object: obj('ConfigMap', 'cfg', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }),
    columns: ['Name', 'Data', 'Age'],
    cells: ['cfg', 3, '2d3h'],
  },
  {
    name: 'secret',
    object: obj('Secret', 'tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==', 'tls.key': 'eA==' } }),
    columns: ['Name', 'Type', 'Data', 'Age'],
    cells: ['tls', 'kubernetes.io/tls', 2, '2d3h'],
  },
  {
    name: 'service account',
    object: obj('ServiceAccount', 'builder', { secrets: [{ name: 'builder-token' }] }),
    columns: ['Name', 'Secrets', 'Age'],
    cells: ['builder', 1, '2d3h'],
  },
  {
    name: 'service account without secrets',
    object: obj('ServiceAccount', 'default', {}),
    columns: ['Name', 'Secrets', 'Age'],
    cells: ['default', 0, '2d3h'],
  },
  {
    name: 'replication controller',
    object: obj('ReplicationController', 'rc', {
      spec: { replicas: 3, selector: { app: 'x' }, template: { spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'nginx:1' }] } } },
      status: { replicas: 3, readyReplicas: 2 },
    }),
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
    cells: ['rc', 3, 3, 2, '2d3h', 'a,b', 'busybox,nginx:1', 'app=x'],
  },
  {
    name: 'replica set with expression selector',
    object: obj('ReplicaSet', 'rs', {
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'canary', operator: 'DoesNotExist' }] },
        template: { spec: { containers: [{ name: 'a', image: 'busybox' }] } },
      },
    }),
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
    cells: ['rs', 2, 0, 0, '2d3h', 'a', 'busybox', 'app=x,!canary,tier in (a,b)'],
  },
  {
    name: 'deployment',
    object: obj('Deployment', 'web', {
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    }),
    columns: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
    cells: ['web', '2/3', 3, 2, '2d3h', 'web', 'nginx', 'app=web'],
  },
  {
    name: 'deployment without status defaults replicas to one',
    object: obj('Deployment', 'new', { spec: { selector: {}, template: { spec: { containers: [] } } } }),
    columns: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
    cells: ['new', '0/1', 0, 0, '2d3h', '', '', ''],
  },
  {
    name: 'bound persistent volume',
    object: obj(
      'PersistentVolume',
      'pv1',
      {
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'standard', claimRef: { namespace: 'default', name: 'data' } },
        status: { phase: 'Bound' },
      },
      { namespace: undefined },
    ),
    columns: ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode'],
    cells: ['pv1', '1Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'standard', '<unset>', '', '2d3h', '<unset>'],
  },
  {
    name: 'bound claim',
    object: obj('PersistentVolumeClaim', 'data', {
      spec: { volumeName: 'pv1', storageClassName: 'standard', volumeMode: 'Filesystem', resources: { requests: { storage: '500Mi' } } },
      status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
    }),
    columns: ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode'],
    cells: ['data', 'Bound', 'pv1', '1Gi', 'RWO', 'standard', '<unset>', '2d3h', 'Filesystem'],
  },
  {
    name: 'pending claim being deleted',
    object: obj('PersistentVolumeClaim', 'tmp', { spec: {}, status: { phase: 'Pending' } }, { deletionTimestamp: created }),
    columns: ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode'],
    cells: ['tmp', 'Terminating', '', '', '', '', '<unset>', '2d3h', '<unset>'],
  },
  {
    name: 'lease',
    object: obj('Lease', 'node-1', { spec: { holderIdentity: 'node-1' } }),
    columns: ['Name', 'Holder', 'Age'],
    cells: ['node-1', 'node-1', '2d3h'],
  },
  {
    name: 'autoscaler with current metrics',
    object: obj('HorizontalPodAutoscaler', 'web', {
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
        ],
      },
      status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 10 } } }] },
    }),
    columns: ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
    cells: ['web', 'Deployment/web', 'cpu: 10%/80%, memory: <unknown>/200Mi', '1', 5, 2, '2d3h'],
  },
  {
    name: 'autoscaler without metrics',
    object: obj('HorizontalPodAutoscaler', 'bare', { spec: { scaleTargetRef: { kind: 'ReplicaSet', name: 'rs' }, maxReplicas: 3 } }),
    columns: ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
    cells: ['bare', 'ReplicaSet/rs', '<none>', '<unset>', 3, 0, '2d3h'],
  },
  {
    name: 'default storage class',
    object: obj('StorageClass', 'standard', { provisioner: 'mk8s.io/hostpath' }, { namespace: undefined, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
    columns: ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
    cells: ['standard (default)', 'mk8s.io/hostpath', 'Delete', 'Immediate', false, '2d3h'],
  },
  {
    name: 'scale subresource',
    object: obj('Scale', 'web', { spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=web' } }),
    columns: ['Name', 'Desired', 'Available', 'Age'],
    cells: ['web', 3, 2, '2d3h'],
  },
  {
    name: 'kind without a printer',
    object: obj('Widget', 'w', {}),
    columns: ['Name', 'Age'],
    cells: ['w', '2d3h'],
  },
];

describe('printers', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const kind = c.object.kind ?? '';
    const printer = printerFor(kind);
    expect(printer.columns.map((col) => col.name)).toEqual(c.columns);
    expect(printer.print(c.object, NOW).cells).toEqual(c.cells);
  });

  it.each([
    ['Pod', ['IP', 'Node', 'Nominated Node', 'Readiness Gates']],
    ['Node', ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']],
    ['Service', ['Selector']],
    ['Deployment', ['Containers', 'Images', 'Selector']],
    ['ReplicaSet', ['Containers', 'Images', 'Selector']],
    ['Event', ['Subobject', 'Source', 'First Seen', 'Count', 'Name']],
    ['PersistentVolume', ['VolumeMode']],
    ['Namespace', []],
  ])('%s shows %j only with -o wide', (kind, wide) => {
    expect(printerFor(kind).columns.filter((c) => c.priority === 1).map((c) => c.name)).toEqual(wide);
  });

  it('marks only the Name column with format name', () => {
    for (const kind of ['Pod', 'Node', 'Deployment', 'Widget']) {
      const named = printerFor(kind).columns.filter((c) => c.format === 'name');
      expect(named.map((c) => c.name)).toEqual(['Name']);
    }
  });
});
