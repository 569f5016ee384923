/**
 * Builders for the DaemonSet controller's unit tests: a DaemonSet, a ready Node, and a daemon
 * pod on a node with a given revision hash, phase and readiness.
 */
import type { DaemonSet, Node, Pod, Taint } from '@mk8s/shared';
import { newDaemonPod } from './daemon-pod.js';

export function newDaemonSet(name = 'ds', spec: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, generation: 1 },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
      ...spec,
    },
  };
}

export function newNode(name: string, o: { labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { taints: o.taints ?? [], unschedulable: o.unschedulable ?? false },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

let seq = 0;

export function daemonPod(ds: DaemonSet, node: string, hash: string, o: { phase?: 'Pending' | 'Running' | 'Failed' | 'Succeeded'; ready?: boolean; createdMs?: number; terminating?: boolean; readySinceMs?: number } = {}): Pod {
  const pod = newDaemonPod(ds, node, hash);
  pod.metadata.name = `${ds.metadata.name ?? ''}-${++seq}`;
  pod.metadata.uid = `pod-uid-${seq}`;
  pod.metadata.creationTimestamp = new Date(o.createdMs ?? Date.UTC(2024, 0, 1) + seq * 1000).toISOString();
  if (o.terminating) pod.metadata.deletionTimestamp = new Date(Date.UTC(2024, 0, 1)).toISOString();
  pod.spec.nodeName = node;
  const ready = o.ready ?? true;
  pod.status = {
    phase: o.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date(o.readySinceMs ?? Date.UTC(2023, 0, 1)).toISOString() }],
  };
  return pod;
}
