import type { Taint } from '@mk8s/shared';
import { describe, expect, it } from 'vitest';
import { newDaemonPod } from './daemon-pod.js';
import { nodeShouldRunDaemonPod, targetNodeName, type SpecWithAffinity } from './node-fit.js';
import { newDaemonSet, newNode } from './testing.js';

const taint = (key: string, effect: Taint['effect'], value?: string): Taint => (value === undefined ? { key, effect } : { key, value, effect });
const required = (key: string, operator: string, values?: string[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] }] } },
});

describe('nodeShouldRunDaemonPod', () => {
  const base = { containers: [{ name: 'c', image: 'i' }] };
  it.each([
    { name: 'plain node', node: newNode('n'), spec: base, run: true, keep: true },
    { name: 'nodeSelector matches', node: newNode('n', { labels: { disk: 'ssd' } }), spec: { ...base, nodeSelector: { disk: 'ssd' } }, run: true, keep: true },
    { name: 'nodeSelector does not match', node: newNode('n', { labels: { disk: 'hdd' } }), spec: { ...base, nodeSelector: { disk: 'ssd' } }, run: false, keep: false },
    { name: 'required affinity In matches', node: newNode('n', { labels: { zone: 'a' } }), spec: { ...base, affinity: required('zone', 'In', ['a', 'b']) }, run: true, keep: true },
    { name: 'required affinity NotIn excludes', node: newNode('n', { labels: { zone: 'a' } }), spec: { ...base, affinity: required('zone', 'NotIn', ['a']) }, run: false, keep: false },
    { name: 'template nodeName elsewhere', node: newNode('n'), spec: { ...base, nodeName: 'other' }, run: false, keep: false },
    { name: 'untolerated NoSchedule taint keeps existing pods', node: newNode('n', { taints: [taint('dedicated', 'NoSchedule', 'db')] }), spec: base, run: false, keep: true },
    { name: 'untolerated NoExecute taint evicts', node: newNode('n', { taints: [taint('dedicated', 'NoExecute', 'db')] }), spec: base, run: false, keep: false },
    { name: 'PreferNoSchedule taint is ignored', node: newNode('n', { taints: [taint('dedicated', 'PreferNoSchedule')] }), spec: base, run: true, keep: true },
    { name: 'tolerated taint (Equal)', node: newNode('n', { taints: [taint('dedicated', 'NoSchedule', 'db')] }), spec: { ...base, tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'db', effect: 'NoSchedule' as const }] }, run: true, keep: true },
    { name: 'toleration with another value', node: newNode('n', { taints: [taint('dedicated', 'NoSchedule', 'db')] }), spec: { ...base, tolerations: [{ key: 'dedicated', value: 'web' }] }, run: false, keep: true },
    { name: 'cordoned node still runs daemon pods', node: newNode('n', { unschedulable: true, taints: [taint('node.kubernetes.io/unschedulable', 'NoSchedule')] }), spec: base, run: true, keep: true },
    { name: 'not-ready NoExecute is tolerated', node: newNode('n', { taints: [taint('node.kubernetes.io/not-ready', 'NoExecute')] }), spec: base, run: true, keep: true },
    { name: 'unreachable NoExecute is tolerated', node: newNode('n', { taints: [taint('node.kubernetes.io/unreachable', 'NoExecute')] }), spec: base, run: true, keep: true },
    { name: 'not-ready NoSchedule is not', node: newNode('n', { taints: [taint('node.kubernetes.io/not-ready', 'NoSchedule')] }), spec: base, run: false, keep: true },
    { name: 'memory-pressure is tolerated', node: newNode('n', { taints: [taint('node.kubernetes.io/memory-pressure', 'NoSchedule')] }), spec: base, run: true, keep: true },
    { name: 'network-unavailable without hostNetwork', node: newNode('n', { taints: [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')] }), spec: base, run: false, keep: true },
    { name: 'network-unavailable with hostNetwork', node: newNode('n', { taints: [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')] }), spec: { ...base, hostNetwork: true }, run: true, keep: true },
  ])('$name', ({ node, spec, run, keep }) => {
    const ds = newDaemonSet('ds', { template: { metadata: { labels: { app: 'ds' } }, spec } });
    expect(nodeShouldRunDaemonPod(ds, node)).toEqual({ shouldRun: run, shouldContinueRunning: keep });
  });
});

describe('newDaemonPod', () => {
  it('pins the pod to its node, adds the hash label, the daemon tolerations and a controller ref', () => {
    const ds = newDaemonSet('ds', {
      template: { metadata: { labels: { app: 'ds' } }, spec: { containers: [{ name: 'c', image: 'i' }], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }], affinity: required('zone', 'In', ['a']) } as SpecWithAffinity },
    });
    const pod = newDaemonPod(ds, 'n1', 'abc');
    expect(pod.metadata.labels).toEqual({ app: 'ds', 'controller-revision-hash': 'abc' });
    expect(pod.metadata.generateName).toBe('ds-');
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'uid-ds', controller: true, blockOwnerDeletion: true }]);
    expect((pod.spec as SpecWithAffinity).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
    });
    expect(pod.spec.tolerations?.map((t) => `${t.key}:${t.effect}:${t.tolerationSeconds ?? ''}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute:5',
      'node.kubernetes.io/unreachable:NoExecute:',
      'node.kubernetes.io/disk-pressure:NoSchedule:',
      'node.kubernetes.io/memory-pressure:NoSchedule:',
      'node.kubernetes.io/pid-pressure:NoSchedule:',
      'node.kubernetes.io/unschedulable:NoSchedule:',
    ]);
    expect(targetNodeName(pod)).toBe('n1');
    expect((ds.spec.template.spec as SpecWithAffinity).affinity).toEqual(required('zone', 'In', ['a']));
  });
});
