import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '@mk8s/shared';
import { toTable } from './table.js';

const NOW = new Date('2026-01-01T12:00:00Z');

const slice = (body: Partial<EndpointSlice>): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-x7k2p', namespace: 'default', creationTimestamp: '2026-01-01T11:55:00Z' },
  addressType: 'IPv4',
  ...body,
});
const eps = (n: number) => Array.from({ length: n }, (_x, i) => ({ addresses: [`10.0.0.${i + 1}`] }));

describe('EndpointSlice table', () => {
  it('has the columns kubectl get endpointslices shows', () => {
    expect(toTable('EndpointSlice', [], { now: NOW }).columnDefinitions.map((c) => c.name)).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  });

  it.each<[string, Partial<EndpointSlice>, unknown[]]>([
    ['one port, two endpoints', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: eps(2) }, ['web-x7k2p', 'IPv4', '8080', '10.0.0.1,10.0.0.2', '5m']],
    ['placeholder slice', { ports: null, endpoints: null }, ['web-x7k2p', 'IPv4', '<unset>', '<unset>', '5m']],
    ['more than three endpoints', { ports: [{ port: 80 }], endpoints: eps(5) }, ['web-x7k2p', 'IPv4', '80', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '5m']],
    ['a port without number shows its name, or *', { ports: [{ name: 'all' }, {}], endpoints: eps(1) }, ['web-x7k2p', 'IPv4', 'all,*', '10.0.0.1', '5m']],
    ['four ports', { ports: [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }], endpoints: [] }, ['web-x7k2p', 'IPv4', '1,2,3 + 1 more...', '<unset>', '5m']],
  ])('%s', (_n, body, cells) => {
    expect(toTable('EndpointSlice', [slice(body)], { now: NOW }).rows[0]?.cells).toEqual(cells);
  });
});
