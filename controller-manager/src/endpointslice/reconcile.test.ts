import { describe, expect, it } from 'vitest';
import type { Container, EndpointSlice, Pod, Service } from '@mk8s/shared';
import { newPod, newService } from '@mk8s/shared/testing';
import { desiredGroups } from './desired.js';
import { newSlice, reconcileSlices, sliceLabels, type SlicePlan } from './reconcile.js';

const web: Container = { name: 'web', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] };
const svc = (labels: Record<string, string> = {}): Service => {
  const s = newService('web', { uid: 'svc-uid', labels, selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
  return s;
};
const ipOf = (i: number) => `10.0.${Math.floor(i / 200)}.${(i % 200) + 1}`;
const pod = (i: number, ready = true): Pod =>
  newPod(`p${i}`, { uid: `p${i}-uid`, labels: { app: 'web' }, phase: 'Running', ready, podIP: ipOf(i), containers: [web], nodeName: 'n1' });
const pods = (from: number, to: number): Pod[] => Array.from({ length: to - from }, (_x, k) => pod(from + k));
const HTTP = [{ name: 'http', port: 8080, protocol: 'TCP' as const }];

/** An existing slice as the apiserver would hold it, with the endpoints the given pods produce now. */
function existing(name: string, members: Pod[], o: { ports?: typeof HTTP; service?: Service; uid?: string; addressType?: 'IPv4' | 'IPv6' } = {}): EndpointSlice {
  const s = o.service ?? svc();
  const eps = [...(desiredGroups(s, members).values().next().value?.endpoints.values() ?? [])];
  const slice = newSlice(s, o.ports ?? HTTP, eps);
  delete slice.metadata.generateName;
  slice.metadata.name = name;
  slice.metadata.resourceVersion = '7';
  if (o.uid) slice.metadata.ownerReferences![0]!.uid = o.uid;
  if (o.addressType) slice.addressType = o.addressType;
  return slice;
}

const ips = (s: EndpointSlice) => (s.endpoints ?? []).map((e) => e.addresses[0]);
const summary = (p: SlicePlan) => ({
  create: p.create.map((s) => [s.ports?.length ?? 0, ips(s).length]),
  update: p.update.map((s) => [s.metadata.name, s.ports?.length ?? 0, ips(s).length]),
  delete: p.delete.map((s) => s.metadata.name),
});
const plan = (service: Service, current: Pod[], slices: EndpointSlice[], max = 100) =>
  reconcileSlices({ service, desired: desiredGroups(service, current), existing: slices, maxEndpointsPerSlice: max });

describe('reconcileSlices', () => {
  it.each<[string, () => SlicePlan, ReturnType<typeof summary>]>([
    ['new service with three pods: one slice', () => plan(svc(), pods(0, 3), []), { create: [[1, 3]], update: [], delete: [] }],
    ['250 endpoints at 100 per slice: three slices', () => plan(svc(), pods(0, 250), []), { create: [[1, 100], [1, 100], [1, 50]], update: [], delete: [] }],
    ['--max-endpoints-per-slice 2', () => plan(svc(), pods(0, 5), [], 2), { create: [[1, 2], [1, 2], [1, 1]], update: [], delete: [] }],
    ['nothing changed: nothing to do', () => plan(svc(), pods(0, 3), [existing('web-a', pods(0, 3))]), { create: [], update: [], delete: [] }],
    ['a pod turned not ready: updated in place', () => plan(svc(), [pod(0), pod(1, false)], [existing('web-a', pods(0, 2))]), { create: [], update: [['web-a', 1, 2]], delete: [] }],
    ['one pod gone, one new: updated in place', () => plan(svc(), [pod(0), pod(5)], [existing('web-a', pods(0, 2))]), { create: [], update: [['web-a', 1, 2]], delete: [] }],
    ['a new pod goes into an unchanged slice with room', () => plan(svc(), pods(0, 3), [existing('web-a', pods(0, 2))]), { create: [], update: [['web-a', 1, 3]], delete: [] }],
    ['a full slice is left alone; the new pod gets a new slice', () => plan(svc(), pods(0, 3), [existing('web-a', pods(0, 2))], 2), { create: [[1, 1]], update: [], delete: [] }],
    ['removed endpoints make room for new ones in the same slice', () => plan(svc(), [pod(0), pod(2)], [existing('web-a', pods(0, 2)), existing('web-b', [pod(9)])], 2), { create: [], update: [['web-a', 1, 2]], delete: ['web-b'] }],
    ['all pods gone: the slice becomes the placeholder', () => plan(svc(), [], [existing('web-a', pods(0, 2))]), { create: [], update: [['web-a', 0, 0]], delete: [] }],
    ['no pods, placeholder present: nothing to do', () => plan(svc(), [], [existing('web-a', [], { ports: [] })]), { create: [], update: [], delete: [] }],
    ['no pods, no slices: a placeholder is created', () => plan(svc(), [], []), { create: [[0, 0]], update: [], delete: [] }],
    ['pods appear: the placeholder is reused', () => plan(svc(), pods(0, 2), [existing('web-a', [], { ports: [] })]), { create: [], update: [['web-a', 1, 2]], delete: [] }],
    ['service labels changed: labels repaired', () => plan(svc({ tier: 'front' }), pods(0, 2), [existing('web-a', pods(0, 2))]), { create: [], update: [['web-a', 1, 2]], delete: [] }],
    ['slices of an earlier service with the same name are replaced', () => plan(svc(), pods(0, 1), [existing('web-old', pods(0, 1), { uid: 'old-uid' })]), { create: [[1, 1]], update: [], delete: ['web-old'] }],
    ['slices of another address type are deleted', () => plan(svc(), pods(0, 1), [existing('web-a', pods(0, 1)), existing('web-6', [], { addressType: 'IPv6' })]), { create: [], update: [], delete: ['web-6'] }],
  ])('%s', (_n, run, want) => {
    expect(summary(run())).toEqual(want);
  });

  it('new slices carry the labels, owner and generateName Kubernetes gives them', () => {
    const s = svc({ tier: 'front' });
    const [slice] = plan(s, pods(0, 1), []).create;
    expect(slice).toEqual({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: 'web-',
        namespace: 'default',
        labels: { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      ports: HTTP,
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'p0', uid: 'p0-uid' } }],
    });
  });

  it('updates keep the resourceVersion and the order of surviving endpoints, and never touch their inputs', () => {
    const slice = existing('web-a', pods(0, 3));
    const before = structuredClone(slice);
    const { update } = plan(svc(), [pod(2), pod(1), pod(7)], [slice]);
    expect(update[0]?.metadata.resourceVersion).toBe('7');
    expect(update[0] && ips(update[0])).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.8']);
    expect(slice).toEqual(before);
  });

  it('headless services get the headless label; reserved labels come from the controller', () => {
    const s = svc({ 'kubernetes.io/service-name': 'spoofed', 'service.kubernetes.io/headless': '' });
    s.spec.clusterIP = 'None';
    expect(sliceLabels(s)).toEqual({ 'service.kubernetes.io/headless': '', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    s.spec.clusterIP = '10.96.0.5';
    expect(sliceLabels(s)['service.kubernetes.io/headless']).toBeUndefined();
  });
});
