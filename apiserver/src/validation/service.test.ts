import { describe, it, expect } from 'vitest';
import type { Endpoints, Service } from '@mk8s/shared';
import { messages, mutate, run, runUpdate, type Mutator } from './testutil.js';

const newService = (m: Mutator<Service> = () => {}): Service =>
  mutate<Service>(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    m,
  );

const p0 = (s: Service) => s.spec.ports![0]!;

describe('Service validation', () => {
  it.each<[string, Mutator<Service>, Array<[string, string]>]>([
    ['valid ClusterIP', () => {}, []],
    ['valid named targetPort', (s) => (p0(s).targetPort = 'http'), []],
    ['valid NodePort with nodePort', (s) => ((s.spec.type = 'NodePort'), (p0(s).nodePort = 30080)), []],
    ['valid LoadBalancer', (s) => (s.spec.type = 'LoadBalancer'), []],
    ['valid headless without ports', (s) => ((s.spec.clusterIP = 'None'), (s.spec.ports = [])), []],
    ['valid ExternalName', (s) => ((s.spec.type = 'ExternalName'), (s.spec.externalName = 'example.com'), (s.spec.ports = [])), []],
    ['valid clusterIP', (s) => (s.spec.clusterIP = '10.96.0.10'), []],
    ['valid two named ports', (s) => ((p0(s).name = 'http'), s.spec.ports!.push({ name: 'https', port: 443 })), []],
    ['ports required', (s) => (s.spec.ports = []), [['spec.ports', 'FieldValueRequired']]],
    ['bad type', (s) => (s.spec.type = 'Internal' as never), [['spec.type', 'FieldValueNotSupported']]],
    ['port 0', (s) => (p0(s).port = 0), [['spec.ports[0].port', 'FieldValueInvalid']]],
    ['port too large', (s) => (p0(s).port = 65536), [['spec.ports[0].port', 'FieldValueInvalid']]],
    ['bad protocol', (s) => (p0(s).protocol = 'ICMP' as never), [['spec.ports[0].protocol', 'FieldValueNotSupported']]],
    ['targetPort out of range', (s) => (p0(s).targetPort = 70000), [['spec.ports[0].targetPort', 'FieldValueInvalid']]],
    ['targetPort bad name', (s) => (p0(s).targetPort = 'Not_A_Name'), [['spec.ports[0].targetPort', 'FieldValueInvalid']]],
    ['second port needs a name', (s) => ((p0(s).name = 'http'), s.spec.ports!.push({ port: 443 })), [['spec.ports[1].name', 'FieldValueRequired']]],
    ['both ports need names', (s) => s.spec.ports!.push({ port: 443 }), [['spec.ports[0].name', 'FieldValueRequired'], ['spec.ports[1].name', 'FieldValueRequired']]],
    ['duplicate port names', (s) => ((p0(s).name = 'http'), s.spec.ports!.push({ name: 'http', port: 443 })), [['spec.ports[1].name', 'FieldValueDuplicate']]],
    ['port name not a label', (s) => (p0(s).name = 'Web'), [['spec.ports[0].name', 'FieldValueInvalid']]],
    ['duplicate port/protocol', (s) => ((p0(s).name = 'a'), s.spec.ports!.push({ name: 'b', port: 80 })), [['spec.ports[1]', 'FieldValueDuplicate']]],
    ['nodePort on ClusterIP', (s) => (p0(s).nodePort = 30080), [['spec.ports[0].nodePort', 'FieldValueForbidden']]],
    ['nodePort out of range', (s) => ((s.spec.type = 'NodePort'), (p0(s).nodePort = 8080)), [['spec.ports[0].nodePort', 'FieldValueInvalid']]],
    [
      'duplicate nodePort',
      (s) => ((s.spec.type = 'NodePort'), (p0(s).name = 'a'), (p0(s).nodePort = 30080), s.spec.ports!.push({ name: 'b', port: 81, nodePort: 30080 })),
      [['spec.ports[1].nodePort', 'FieldValueDuplicate']],
    ],
    ['bad clusterIP', (s) => (s.spec.clusterIP = '10.96.0.300'), [['spec.clusterIP', 'FieldValueInvalid']]],
    ['headless NodePort', (s) => ((s.spec.type = 'NodePort'), (s.spec.clusterIP = 'None')), [['spec.clusterIP', 'FieldValueInvalid']]],
    ['ExternalName without name', (s) => (s.spec.type = 'ExternalName'), [['spec.externalName', 'FieldValueRequired']]],
    ['ExternalName bad name', (s) => ((s.spec.type = 'ExternalName'), (s.spec.externalName = 'Bad_Host')), [['spec.externalName', 'FieldValueInvalid']]],
    [
      'ExternalName with clusterIP',
      (s) => ((s.spec.type = 'ExternalName'), (s.spec.externalName = 'a.com'), (s.spec.clusterIP = '10.0.0.1')),
      [['spec.clusterIP', 'FieldValueForbidden']],
    ],
    ['bad sessionAffinity', (s) => (s.spec.sessionAffinity = 'Sticky' as never), [['spec.sessionAffinity', 'FieldValueNotSupported']]],
    ['bad selector', (s) => (s.spec.selector = { app: 'a b' }), [['spec.selector', 'FieldValueInvalid']]],
    ['bad externalIP', (s) => (s.spec.externalIPs = ['nope']), [['spec.externalIPs[0]', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('Service', newService(m))).toEqual(want);
  });

  it.each<[string, Mutator<Service>, string]>([
    ['type', (s) => (s.spec.type = 'Internal' as never), 'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ['port', (s) => (p0(s).port = 0), 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    [
      'nodePort range',
      (s) => ((s.spec.type = 'NodePort'), (p0(s).nodePort = 80)),
      'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ],
    ['nodePort type', (s) => (p0(s).nodePort = 30001), "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  ])('message: %s', (_name, m, want) => {
    expect(messages('Service', newService(m))).toEqual([want]);
  });
});

describe('Service update', () => {
  const old = newService((s) => (s.spec.clusterIP = '10.96.0.10'));
  it.each<[string, Mutator<Service>, Array<[string, string]>]>([
    ['same clusterIP', () => {}, []],
    ['clusterIP omitted (carried over by the registry)', (s) => delete s.spec.clusterIP, []],
    ['ports change', (s) => (p0(s).port = 81), []],
    ['clusterIP change', (s) => (s.spec.clusterIP = '10.96.0.11'), [['spec.clusterIP', 'FieldValueInvalid']]],
    ['to ExternalName clears clusterIP', (s) => ((s.spec.type = 'ExternalName'), (s.spec.externalName = 'a.com'), delete s.spec.clusterIP), []],
  ])('%s', (_name, m, want) => {
    expect(runUpdate('Service', mutate(old, m), old)).toEqual(want);
  });
});

const newEndpoints = (m: Mutator<Endpoints> = () => {}): Endpoints =>
  mutate<Endpoints>(
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '10.244.0.5', nodeName: 'node-1' }], ports: [{ port: 8080 }] }],
    },
    m,
  );

describe('Endpoints validation', () => {
  it.each<[string, Mutator<Endpoints>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['valid empty', (e) => delete e.subsets, []],
    ['bad ip', (e) => (e.subsets![0]!.addresses![0]!.ip = '10.0.0'), [['subsets[0].addresses[0].ip', 'FieldValueInvalid']]],
    ['missing ip', (e) => (e.subsets![0]!.notReadyAddresses = [{ ip: '' }]), [['subsets[0].notReadyAddresses[0].ip', 'FieldValueRequired']]],
    ['bad port', (e) => (e.subsets![0]!.ports![0]!.port = 0), [['subsets[0].ports[0].port', 'FieldValueInvalid']]],
    ['unnamed second port', (e) => e.subsets![0]!.ports!.push({ name: 'b', port: 81 }), [['subsets[0].ports[0].name', 'FieldValueRequired']]],
    ['bad protocol', (e) => (e.subsets![0]!.ports![0]!.protocol = 'X' as never), [['subsets[0].ports[0].protocol', 'FieldValueNotSupported']]],
  ])('%s', (_name, m, want) => {
    expect(run('Endpoints', newEndpoints(m))).toEqual(want);
  });
});
