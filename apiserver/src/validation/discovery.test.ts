import { describe, it, expect } from 'vitest';
import type { EndpointSlice } from '@mk8s/shared';
import { messages, mutate, run, runUpdate, type Mutator } from './testutil.js';

const newSlice = (m: Mutator<EndpointSlice> = () => {}): EndpointSlice =>
  mutate<EndpointSlice>(
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abcde', namespace: 'default' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true }, nodeName: 'node-1' }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
    m,
  );

const ep0 = (s: EndpointSlice) => s.endpoints![0]!;
const port0 = (s: EndpointSlice) => s.ports![0]!;
const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_x, i) => f(i));
const ip = (i: number) => `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;

describe('EndpointSlice validation', () => {
  it.each<[string, Mutator<EndpointSlice>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['valid without endpoints and ports (placeholder)', (s) => ((s.endpoints = []), (s.ports = null)), []],
    ['valid IPv6', (s) => ((s.addressType = 'IPv6'), (ep0(s).addresses = ['fd00::5'])), []],
    ['valid FQDN', (s) => ((s.addressType = 'FQDN'), (ep0(s).addresses = ['db.example.com'])), []],
    ['port without name or protocol is defaulted', (s) => (s.ports = [{ port: 80 }]), []],
    ['port without number means all ports', (s) => (s.ports = [{ name: 'all' }]), []],
    ['exactly 1000 endpoints', (s) => (s.endpoints = many(1000, (i) => ({ addresses: [ip(i)] }))), []],
    ['exactly 100 addresses', (s) => (ep0(s).addresses = many(100, ip)), []],
    ['addressType required', (s) => delete (s as Partial<EndpointSlice>).addressType, [['addressType', 'FieldValueRequired']]],
    ['addressType IP is not supported', (s) => (s.addressType = 'IP' as never), [['addressType', 'FieldValueNotSupported']]],
    ['endpoint needs an address', (s) => (ep0(s).addresses = []), [['endpoints[0].addresses', 'FieldValueRequired']]],
    ['at most 100 addresses', (s) => (ep0(s).addresses = many(101, ip)), [['endpoints[0].addresses', 'FieldValueTooMany']]],
    ['at most 1000 endpoints', (s) => (s.endpoints = many(1001, (i) => ({ addresses: [ip(i)] }))), [['endpoints', 'FieldValueTooMany']]],
    ['IPv6 address in an IPv4 slice', (s) => (ep0(s).addresses = ['fd00::1']), [['endpoints[0].addresses[0]', 'FieldValueInvalid']]],
    ['loopback address', (s) => (ep0(s).addresses = ['127.0.0.1']), [['endpoints[0].addresses[0]', 'FieldValueInvalid']]],
    ['link-local address', (s) => (ep0(s).addresses = ['169.254.169.254']), [['endpoints[0].addresses[0]', 'FieldValueInvalid']]],
    ['FQDN needs two segments', (s) => ((s.addressType = 'FQDN'), (ep0(s).addresses = ['db'])), [['endpoints[0].addresses[0]', 'FieldValueInvalid']]],
    ['bad nodeName', (s) => (ep0(s).nodeName = 'Node_1'), [['endpoints[0].nodeName', 'FieldValueInvalid']]],
    ['bad hostname', (s) => (ep0(s).hostname = 'a.b'), [['endpoints[0].hostname', 'FieldValueInvalid']]],
    ['bad port name', (s) => (port0(s).name = 'HTTP_1'), [['ports[0].name', 'FieldValueInvalid']]],
    ['duplicate port names', (s) => s.ports!.push({ name: 'http', port: 9090, protocol: 'TCP' }), [['ports[1].name', 'FieldValueDuplicate']]],
    ['two unnamed ports', (s) => (s.ports = [{ port: 80 }, { port: 81 }]), [['ports[1].name', 'FieldValueDuplicate']]],
    ['bad protocol', (s) => (port0(s).protocol = 'HTTP' as never), [['ports[0].protocol', 'FieldValueNotSupported']]],
    ['port out of range', (s) => (port0(s).port = 70000), [['ports[0].port', 'FieldValueInvalid']]],
    ['bad appProtocol', (s) => (port0(s).appProtocol = 'not a protocol'), [['ports[0].appProtocol', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('EndpointSlice', newSlice(m))).toEqual(want);
  });

  it.each<[string, Mutator<EndpointSlice>, Array<[string, string]>]>([
    ['endpoints may change', (s) => (ep0(s).addresses = ['10.244.0.6']), []],
    ['addressType is immutable', (s) => ((s.addressType = 'IPv6'), (ep0(s).addresses = ['fd00::5'])), [['addressType', 'FieldValueInvalid']]],
  ])('update: %s', (_name, m, want) => {
    expect(runUpdate('EndpointSlice', newSlice(m), newSlice())).toEqual(want);
  });

  it('explains what is wrong as Kubernetes does', () => {
    expect(messages('EndpointSlice', newSlice((s) => ((s.addressType = 'IP' as never), (ep0(s).addresses = many(101, ip)))))).toEqual([
      'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
      'endpoints[0].addresses: Too many: 101: must have at most 100 items',
    ]);
  });
});
