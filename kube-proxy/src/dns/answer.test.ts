import { describe, expect, it } from 'vitest';
import type { RecordType } from 'dns-packet';
import type { Endpoints, Service } from '@mk8s/shared';
import { answerQuestion, RCODE, type DnsView } from './answer.js';

const service = (name: string, spec: Partial<Service['spec']>): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec },
});

const services: Record<string, Service> = {
  web: service('web', {}),
  db: service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
  ext: service('ext', { type: 'ExternalName', externalName: 'example.org', clusterIP: undefined }),
  pub: service('pub', { clusterIP: 'None', publishNotReadyAddresses: true }),
};
const endpoints: Record<string, Endpoints> = {
  db: {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'db', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '10.244.1.5', hostname: 'db-0' }, { ip: '10.244.1.6' }], notReadyAddresses: [{ ip: '10.244.1.7' }], ports: [{ name: 'pg', port: 5432 }] }],
  },
  pub: {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'pub', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '10.244.1.8' }], notReadyAddresses: [{ ip: '10.244.1.9' }], ports: [{ name: 'http', port: 80 }] }],
  },
};
const view: DnsView = {
  service: (ns, name) => (ns === 'default' ? services[name] : undefined),
  endpoints: (ns, name) => (ns === 'default' ? endpoints[name] : undefined),
};

const ask = (name: string, type: RecordType = 'A') => answerQuestion({ name, type, class: 'IN' }, view);
const summary = (name: string, type: RecordType = 'A') => {
  const r = ask(name, type);
  if (r.kind === 'forward') return 'forward';
  const rcode = Object.entries(RCODE).find(([, v]) => v === r.rcode)?.[0];
  return [rcode, ...r.answers.map((a) => `${a.type} ${typeof a.data === 'object' ? JSON.stringify(a.data) : String(a.data)}`)].join(' | ');
};

describe('answerQuestion', () => {
  it.each([
    { name: 'service A', q: 'web.default.svc.cluster.local', want: 'NOERROR | A 10.96.0.20' },
    { name: 'trailing dot and case', q: 'WEB.default.svc.cluster.local.', want: 'NOERROR | A 10.96.0.20' },
    { name: 'service AAAA is empty, not NXDOMAIN', q: 'web.default.svc.cluster.local', type: 'AAAA' as const, want: 'NOERROR' },
    { name: 'unknown service', q: 'nope.default.svc.cluster.local', want: 'NXDOMAIN' },
    { name: 'unknown namespace', q: 'web.other.svc.cluster.local', want: 'NXDOMAIN' },
    { name: 'headless: ready endpoints only', q: 'db.default.svc.cluster.local', want: 'NOERROR | A 10.244.1.5 | A 10.244.1.6' },
    { name: 'headless publishNotReadyAddresses', q: 'pub.default.svc.cluster.local', want: 'NOERROR | A 10.244.1.8 | A 10.244.1.9' },
    { name: 'headless endpoint by hostname', q: 'db-0.db.default.svc.cluster.local', want: 'NOERROR | A 10.244.1.5' },
    { name: 'headless endpoint by unknown hostname', q: 'db-9.db.default.svc.cluster.local', want: 'NXDOMAIN' },
    { name: 'ExternalName is a CNAME', q: 'ext.default.svc.cluster.local', want: 'NOERROR | CNAME example.org' },
    { name: 'pod name', q: '10-244-1-5.default.pod.cluster.local', want: 'NOERROR | A 10.244.1.5' },
    { name: 'bad pod name', q: '10-244-1-500.default.pod.cluster.local', want: 'NXDOMAIN' },
    {
      name: 'SRV for a named port',
      q: '_http._tcp.web.default.svc.cluster.local',
      type: 'SRV' as const,
      want: 'NOERROR | SRV {"priority":0,"weight":100,"port":80,"target":"web.default.svc.cluster.local"}',
    },
    {
      name: 'SRV on a headless service lists endpoints',
      q: '_pg._tcp.db.default.svc.cluster.local',
      type: 'SRV' as const,
      want: 'NOERROR | SRV {"priority":0,"weight":100,"port":5432,"target":"db-0.db.default.svc.cluster.local"} | SRV {"priority":0,"weight":100,"port":5432,"target":"10-244-1-6.db.default.svc.cluster.local"}',
    },
    { name: 'SRV for an unknown port', q: '_nope._tcp.web.default.svc.cluster.local', type: 'SRV' as const, want: 'NXDOMAIN' },
    { name: 'zone apex', q: 'cluster.local', want: 'NOERROR' },
    { name: 'unknown shape in the zone', q: 'foo.cluster.local', want: 'NXDOMAIN' },
    { name: 'outside the zone', q: 'example.org', want: 'forward' },
    { name: 'suffix look-alike is outside', q: 'evilcluster.local', want: 'forward' },
  ])('$name', ({ q, type, want }) => {
    expect(summary(q, type)).toBe(want);
  });

  it('negative answers carry the SOA; SRV answers carry A additionals', () => {
    const nx = ask('nope.default.svc.cluster.local');
    expect(nx.kind === 'answer' && nx.authorities.map((a) => a.type)).toEqual(['SOA']);
    const srv = ask('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(srv.kind === 'answer' && srv.additionals.map((a) => `${a.name} ${String(a.data)}`)).toEqual(['web.default.svc.cluster.local 10.96.0.20']);
  });
});
