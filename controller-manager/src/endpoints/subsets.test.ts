import { describe, expect, it } from 'vitest';
import type { Container, Pod, PodPhase, Service } from '@mk8s/shared';
import { newPod, newService } from '@mk8s/shared/testing';
import { computeSubsets, resolveTargetPort } from './subsets.js';

const web: Container = { name: 'web', image: 'x', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] };
const pod = (name: string, ip: string | undefined, o: { ready?: boolean; phase?: PodPhase; containers?: Container[]; deleting?: boolean; node?: string } = {}): Pod => {
  const p = newPod(name, { uid: `${name}-uid`, labels: { app: 'web' }, phase: o.phase ?? 'Running', ready: o.ready ?? true, podIP: ip, containers: o.containers ?? [web], nodeName: o.node ?? 'n1' });
  if (o.deleting) p.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  return p;
};
const addr = (name: string, ip: string) => ({ ip, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name, uid: `${name}-uid` } });
const svc = (ports: Service['spec']['ports'], o: Partial<Service['spec']> = {}): Service => {
  const s = newService('web', { ports, selector: { app: 'web' } });
  Object.assign(s.spec, o);
  return s;
};
const numeric = svc([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
const named = svc([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);

describe('resolveTargetPort', () => {
  it.each([
    ['numeric targetPort', { port: 80, targetPort: 9000 }, 9000],
    ['no targetPort means port', { port: 80 }, 80],
    ['numeric string', { port: 80, targetPort: '81' }, 81],
    ['named port', { port: 80, targetPort: 'http' }, 8080],
    ['named port needs the protocol to match', { port: 53, targetPort: 'dns' }, undefined],
    ['named UDP port', { port: 53, targetPort: 'dns', protocol: 'UDP' as const }, 53],
    ['unknown name', { port: 80, targetPort: 'nope' }, undefined],
  ])('%s', (_n, sp, want) => {
    expect(resolveTargetPort(pod('a', '10.0.0.1'), sp)).toBe(want);
  });
});

describe('computeSubsets', () => {
  it.each<[string, Service, Pod[], unknown]>([
    ['no pods: no subsets', numeric, [], []],
    [
      'ready pods sorted by IP, not-ready apart',
      numeric,
      [pod('c', '10.0.0.10'), pod('a', '10.0.0.9'), pod('b', '10.0.0.2', { ready: false })],
      [{ addresses: [addr('a', '10.0.0.9'), addr('c', '10.0.0.10')], notReadyAddresses: [addr('b', '10.0.0.2')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    ],
    ['pods without IP, finished or terminating are left out', numeric, [pod('a', undefined), pod('b', '10.0.0.2', { phase: 'Succeeded' }), pod('c', '10.0.0.3', { deleting: true })], []],
    ['pending pod with an IP is not ready', numeric, [pod('a', '10.0.0.1', { phase: 'Pending', ready: false })], [{ notReadyAddresses: [addr('a', '10.0.0.1')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]],
    [
      'publishNotReadyAddresses puts every pod (even terminating) in addresses',
      svc([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], { publishNotReadyAddresses: true }),
      [pod('a', '10.0.0.1', { ready: false }), pod('b', '10.0.0.2', { deleting: true })],
      [{ addresses: [addr('a', '10.0.0.1'), addr('b', '10.0.0.2')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    ],
    [
      'named ports resolve per pod; pods with the same ports share a subset',
      named,
      [
        pod('a', '10.0.0.1'),
        pod('b', '10.0.0.2', { containers: [{ name: 'w', image: 'x', ports: [{ name: 'http', containerPort: 9090 }] }] }),
        pod('c', '10.0.0.3'),
        pod('d', '10.0.0.4', { containers: [{ name: 'w', image: 'x' }] }),
      ],
      [
        { addresses: [addr('a', '10.0.0.1'), addr('c', '10.0.0.3')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
        { addresses: [addr('b', '10.0.0.2')], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
      ],
    ],
    [
      'multi-port service: unresolved port dropped for that pod only',
      svc([
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' },
      ]),
      [pod('a', '10.0.0.1')],
      [{ addresses: [addr('a', '10.0.0.1')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    ],
    ['headless service without ports lists addresses only', svc([], { clusterIP: 'None' }), [pod('a', '10.0.0.1')], [{ addresses: [addr('a', '10.0.0.1')] }]],
  ])('%s', (_n, service, pods, want) => {
    expect(computeSubsets(service, pods)).toEqual(want);
  });

  it('output does not depend on pod order', () => {
    const pods = [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { ready: false }), pod('c', '10.0.0.3')];
    expect(computeSubsets(numeric, [...pods].reverse())).toEqual(computeSubsets(numeric, pods));
  });
});
