import { describe, expect, it } from 'vitest';
import type { Container, EndpointSliceEndpoint, Pod, PodPhase, Service } from '@mk8s/shared';
import { newPod, newService } from '@mk8s/shared/testing';
import { desiredGroups, portsKey } from './desired.js';

const web: Container = { name: 'web', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] };
const pod = (name: string, ip: string | undefined, o: { ready?: boolean; phase?: PodPhase; containers?: Container[]; deleting?: boolean; podIPs?: string[] } = {}): Pod => {
  const p = newPod(name, { uid: `${name}-uid`, labels: { app: 'web' }, phase: o.phase ?? 'Running', ready: o.ready ?? true, podIP: ip, containers: o.containers ?? [web], nodeName: 'n1' });
  if (o.podIPs) p.status!.podIPs = o.podIPs.map((x) => ({ ip: x }));
  if (o.deleting) p.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  return p;
};
const ep = (name: string, ip: string, c: { ready: boolean; serving: boolean; terminating: boolean }): EndpointSliceEndpoint => ({
  addresses: [ip],
  conditions: c,
  nodeName: 'n1',
  targetRef: { kind: 'Pod', namespace: 'default', name, uid: `${name}-uid` },
});
const READY = { ready: true, serving: true, terminating: false };
const NOT_READY = { ready: false, serving: false, terminating: false };
const svc = (ports: Service['spec']['ports'], o: Partial<Service['spec']> = {}): Service => {
  const s = newService('web', { ports, selector: { app: 'web' } });
  Object.assign(s.spec, o);
  return s;
};
const named = svc([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
const HTTP = [{ name: 'http', port: 8080, protocol: 'TCP' }];

/** The groups as plain data: [ports, endpoints] in key order. */
const groups = (s: Service, pods: Pod[]) => [...desiredGroups(s, pods).values()].map((g) => [g.ports, [...g.endpoints.values()]]);

describe('desiredGroups', () => {
  it.each<[string, Service, Pod[], unknown]>([
    ['no pods: no groups', named, [], []],
    ['ready and not-ready pods share a group, in IP order', named, [pod('b', '10.0.0.10'), pod('a', '10.0.0.9', { ready: false })], [[HTTP, [ep('a', '10.0.0.9', NOT_READY), ep('b', '10.0.0.10', READY)]]]],
    ['terminating pods stay, not ready but serving', named, [pod('a', '10.0.0.1', { deleting: true })], [[HTTP, [ep('a', '10.0.0.1', { ready: false, serving: true, terminating: true })]]]],
    ['pods without IP or finished are left out', named, [pod('a', undefined), pod('b', '10.0.0.2', { phase: 'Failed' })], []],
    ['IPv6-only pods are left out of IPv4 slices', named, [pod('a', 'fd00::1')], []],
    ['the IPv4 address of a dual-stack pod', named, [pod('a', 'fd00::1', { podIPs: ['fd00::1', '10.0.0.1'] })], [[HTTP, [ep('a', '10.0.0.1', READY)]]]],
    ['publishNotReadyAddresses makes every endpoint ready', svc(named.spec.ports, { publishNotReadyAddresses: true }), [pod('a', '10.0.0.1', { ready: false })], [[HTTP, [ep('a', '10.0.0.1', { ready: true, serving: false, terminating: false })]]]],
    [
      'named ports resolve per pod; a pod without the port gets an empty port set',
      named,
      [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { containers: [{ name: 'w', image: 'x', ports: [{ name: 'http', containerPort: 9090 }] }] }), pod('c', '10.0.0.3', { containers: [{ name: 'w', image: 'x' }] })],
      [
        [HTTP, [ep('a', '10.0.0.1', READY)]],
        [[{ name: 'http', port: 9090, protocol: 'TCP' }], [ep('b', '10.0.0.2', READY)]],
        [[], [ep('c', '10.0.0.3', READY)]],
      ],
    ],
    ['an unnamed service port gets the name ""', svc([{ port: 80, targetPort: 8080 }]), [pod('a', '10.0.0.1')], [[[{ name: '', port: 8080, protocol: 'TCP' }], [ep('a', '10.0.0.1', READY)]]]],
  ])('%s', (_n, s, pods, want) => {
    expect(groups(s, pods)).toEqual(want);
  });

  it('portsKey ignores order and fills defaults', () => {
    expect(portsKey([{ name: 'b', port: 2 }, { name: 'a', port: 1, protocol: 'TCP' }])).toBe(portsKey([{ name: 'a', port: 1 }, { name: 'b', port: 2, protocol: 'TCP' }]));
    expect(portsKey(null)).toBe(portsKey([]));
  });
});
