import { describe, expect, it } from 'vitest';
import type { Endpoints, Service } from '@mk8s/shared';
import { clusterIPsOf, listenersFor, readyEndpointsFor, servicePortSpecs } from './service-map.js';

const svc = (spec: Partial<Service['spec']>, name = 'web'): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ port: 80, targetPort: 8080 }], ...spec },
});

const eps: Endpoints = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'web', namespace: 'default' },
  subsets: [
    { addresses: [{ ip: '10.244.1.2' }, { ip: '10.244.1.3' }], notReadyAddresses: [{ ip: '10.244.1.4' }], ports: [{ port: 8080, protocol: 'TCP' }] },
    { addresses: [{ ip: '10.244.2.2' }], ports: [{ name: 'metrics', port: 9090, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] },
  ],
};

describe('readyEndpointsFor', () => {
  it.each([
    { name: 'unnamed port, ready only', port: '', protocol: 'TCP' as const, want: ['10.244.1.2:8080', '10.244.1.3:8080'] },
    { name: 'named port', port: 'metrics', protocol: 'TCP' as const, want: ['10.244.2.2:9090'] },
    { name: 'protocol must match', port: 'dns', protocol: 'TCP' as const, want: [] },
    { name: 'udp port', port: 'dns', protocol: 'UDP' as const, want: ['10.244.2.2:53'] },
    { name: 'unknown name', port: 'nope', protocol: 'TCP' as const, want: [] },
  ])('$name', ({ port, protocol, want }) => {
    expect(readyEndpointsFor(eps, port, protocol).map((e) => `${e.ip}:${e.port}`)).toEqual(want);
  });

  it('no Endpoints object means no endpoints', () => {
    expect(readyEndpointsFor(undefined, '', 'TCP')).toEqual([]);
  });
});

describe('servicePortSpecs and listenersFor', () => {
  it.each([
    { name: 'ClusterIP: one listener on the ClusterIP', s: svc({}), want: ['TCP|10.96.0.20|80'] },
    {
      name: 'NodePort: ClusterIP and each node address',
      s: svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      want: ['TCP|10.96.0.20|80', 'TCP|0.0.0.0|30080'],
    },
    { name: 'headless: none', s: svc({ clusterIP: 'None' }), want: [] },
    { name: 'ExternalName: none', s: svc({ type: 'ExternalName', externalName: 'example.org' }), want: [] },
    { name: 'SCTP ports are skipped', s: svc({ ports: [{ port: 80, protocol: 'SCTP' }] }), want: [] },
    { name: 'UDP port', s: svc({ ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }), want: ['UDP|10.96.0.20|53'] },
  ])('$name', ({ s, want }) => {
    expect(servicePortSpecs(s, eps).flatMap((p) => listenersFor(p, ['0.0.0.0'])).map((l) => l.id)).toEqual(want);
  });

  it.each([
    { name: 'no affinity', s: svc({}), want: 0 },
    { name: 'ClientIP default timeout', s: svc({ sessionAffinity: 'ClientIP' }), want: 10_800_000 },
    { name: 'ClientIP with timeout', s: svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }), want: 60_000 },
  ])('affinity: $name', ({ s, want }) => {
    expect(servicePortSpecs(s, eps)[0]?.affinityTimeoutMs).toBe(want);
  });

  it('spec key and endpoints', () => {
    const [spec] = servicePortSpecs(svc({ ports: [{ name: 'metrics', port: 9000 }] }), eps);
    expect(spec).toMatchObject({ key: 'default/web:metrics', clusterIP: '10.96.0.20', port: 9000, endpoints: [{ ip: '10.244.2.2', port: 9090 }] });
  });
});

describe('clusterIPsOf', () => {
  it('keeps every service with a ClusterIP and ports, endpoints or not', () => {
    const got = clusterIPsOf([svc({}), svc({ clusterIP: 'None' }, 'h'), svc({ clusterIP: '10.96.0.30', ports: [] }, 'np'), svc({ clusterIP: '10.96.0.31' }, 'x')]);
    expect([...got].sort()).toEqual(['10.96.0.20', '10.96.0.31']);
  });
});
