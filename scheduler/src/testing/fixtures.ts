/**
 * Small builders for scheduler unit tests: pods with requests, ports, tolerations and owners;
 * Ready nodes with allocatable resources, labels and taints. Test-only (excluded from tsc).
 */
import type { Node, Pod, Taint, Toleration } from '@mk8s/shared';
import { NodeInfo } from '../node-info.js';

export interface PodOpts {
  ns?: string;
  uid?: string;
  cpu?: string;
  memory?: string;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  hostPorts?: Array<number | { port: number; ip?: string; protocol?: 'TCP' | 'UDP' }>;
  owner?: string;
  priority?: number;
  schedulerName?: string;
  phase?: Pod['status'] extends infer S ? (S extends { phase?: infer P } ? P : never) : never;
  affinity?: unknown;
  labels?: Record<string, string>;
}

export function pod(name: string, o: PodOpts = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', uid: o.uid ?? `uid-${name}`, resourceVersion: '1' },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'busybox',
          resources: Object.keys(requests).length ? { requests } : {},
          ports: (o.hostPorts ?? []).map((hp) =>
            typeof hp === 'number' ? { containerPort: 80, hostPort: hp } : { containerPort: 80, hostPort: hp.port, hostIP: hp.ip, protocol: hp.protocol },
          ),
        },
      ],
    },
    status: { phase: o.phase ?? 'Pending' },
  };
  if (o.nodeName) p.spec.nodeName = o.nodeName;
  if (o.nodeSelector) p.spec.nodeSelector = o.nodeSelector;
  if (o.tolerations) p.spec.tolerations = o.tolerations;
  if (o.priority !== undefined) p.spec.priority = o.priority;
  if (o.schedulerName) p.spec.schedulerName = o.schedulerName;
  if (o.labels) p.metadata.labels = o.labels;
  if (o.owner) p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: o.owner, controller: true }];
  if (o.affinity) (p.spec as unknown as Record<string, unknown>).affinity = o.affinity;
  return p;
}

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown' | 'none';
}

export function node(name: string, o: NodeOpts = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' };
  const n: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-node-${name}`, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: {},
    status: {
      capacity: allocatable,
      allocatable,
      conditions: o.ready === 'none' ? [] : [{ type: 'Ready', status: o.ready ?? 'True', reason: 'KubeletReady' }],
    },
  };
  if (o.taints) n.spec!.taints = o.taints;
  if (o.unschedulable) n.spec!.unschedulable = true;
  return n;
}

/** A NodeInfo for `n` with `pods` counted on it. */
export function nodeInfo(n: Node, pods: Pod[] = []): NodeInfo {
  const info = new NodeInfo(n);
  for (const p of pods) info.addPod({ ...p, spec: { ...p.spec, nodeName: n.metadata.name } });
  return info;
}

/** Polls `fn` until it returns a truthy value (test helper; fails after `timeoutMs`). */
export async function eventually<T>(fn: () => T | Promise<T>, message = 'condition', timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface RecordedEvent {
  name: string;
  type: string;
  reason: string;
  message: string;
}

/** An EventSink that remembers what it was given. */
export class RecordingEvents {
  readonly events: RecordedEvent[] = [];
  event(obj: { metadata: { name?: string } }, type: string, reason: string, message: string): void {
    this.events.push({ name: obj.metadata.name ?? '', type, reason, message });
  }
  of(name: string, reason?: string): RecordedEvent[] {
    return this.events.filter((e) => e.name === name && (!reason || e.reason === reason));
  }
}
