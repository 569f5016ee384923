import { describe, it, expect } from 'vitest';
import type { ConfigMap, Event, Lease, Namespace, Node, Secret } from '@mk8s/shared';
import { messages, mutate, pairs, run, runUpdate, type Mutator } from './testutil.js';
import { strategies } from './index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('Namespace validation', () => {
  const newNS = (m: Mutator<Namespace> = () => {}) => mutate<Namespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }, m);
  it.each<[string, Mutator<Namespace>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['qualified finalizer', (n) => (n.spec = { finalizers: ['kubernetes', 'example.com/cleanup'] }), []],
    ['unqualified finalizer', (n) => (n.spec = { finalizers: ['cleanup'] }), [['spec.finalizers', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('Namespace', newNS(m))).toEqual(want);
  });

  it.each<[string, string, Array<[string, string]>]>([
    ['Terminating', 'Terminating', []],
    ['unknown phase', 'Deleted', [['status.phase', 'FieldValueNotSupported']]],
  ])('status: %s', (_name, phase, want) => {
    const old = newNS();
    const ns = newNS((n) => (n.status = { phase: phase as never }));
    expect(pairs(strategies.Namespace!.validateStatusUpdate!(ns, old))).toEqual(want);
  });
});

describe('Node validation', () => {
  const newNode = (m: Mutator<Node> = () => {}) =>
    mutate<Node>(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'node-1' },
        spec: { podCIDR: '10.244.1.0/24', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
        status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' } },
      },
      m,
    );
  it.each<[string, Mutator<Node>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['bad podCIDR', (n) => (n.spec!.podCIDR = '10.244.1.0'), [['spec.podCIDR', 'FieldValueInvalid']]],
    ['taint without effect', (n) => (n.spec!.taints![0]!.effect = '' as never), [['spec.taints[0].effect', 'FieldValueRequired']]],
    ['taint bad effect', (n) => (n.spec!.taints![0]!.effect = 'NoRun' as never), [['spec.taints[0].effect', 'FieldValueNotSupported']]],
    ['taint bad key', (n) => (n.spec!.taints![0]!.key = 'a b'), [['spec.taints[0].key', 'FieldValueInvalid']]],
    ['duplicate taint', (n) => n.spec!.taints!.push({ key: 'dedicated', effect: 'NoSchedule' }), [['spec.taints[1]', 'FieldValueDuplicate']]],
    ['bad capacity', (n) => (n.status!.capacity!.cpu = 'two'), [['status.capacity[cpu]', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('Node', newNode(m))).toEqual(want);
  });

  it.each<[string, Mutator<Node>, Array<[string, string]>]>([
    ['unschedulable', (n) => (n.spec!.unschedulable = true), []],
    ['podCIDR change', (n) => (n.spec!.podCIDR = '10.244.2.0/24'), [['spec.podCIDRs', 'FieldValueForbidden']]],
  ])('update: %s', (_name, m, want) => {
    expect(runUpdate('Node', newNode(m), newNode())).toEqual(want);
  });

  it('status update checks quantities', () => {
    const old = newNode();
    const n = newNode((x) => (x.status!.allocatable = { memory: '1 Gi' }));
    expect(pairs(strategies.Node!.validateStatusUpdate!(n, old))).toEqual([['status.allocatable[memory]', 'FieldValueInvalid']]);
  });
});

describe('Event validation', () => {
  const newEvent = (m: Mutator<Event> = () => {}) =>
    mutate<Event>(
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'web.1', namespace: 'd' },
        involvedObject: { kind: 'Pod', name: 'web', namespace: 'd' },
        reason: 'Scheduled',
        type: 'Normal',
      },
      m,
    );
  it.each<[string, Mutator<Event>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['cluster-scoped object', (e) => (e.involvedObject = { kind: 'Node', name: 'n1' }), []],
    ['namespace mismatch', (e) => (e.involvedObject.namespace = 'other'), [['involvedObject.namespace', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('Event', newEvent(m))).toEqual(want);
  });
});

describe('ConfigMap validation', () => {
  const newCM = (m: Mutator<ConfigMap> = () => {}) =>
    mutate<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'd' }, data: { 'app.properties': 'a=b', KEY_1: 'x' } }, m);
  it.each<[string, Mutator<ConfigMap>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['valid binaryData', (c) => (c.binaryData = { blob: b64('\x00\x01') }), []],
    ['bad key', (c) => (c.data!['a/b'] = 'x'), [['data[a/b]', 'FieldValueInvalid']]],
    ['dot-dot key', (c) => (c.data!['..x'] = 'x'), [['data[..x]', 'FieldValueInvalid']]],
    ['non-string value', (c) => (c.data!.n = 5 as never), [['data[n]', 'FieldValueInvalid']]],
    ['key in data and binaryData', (c) => (c.binaryData = { KEY_1: b64('x') }), [['binaryData[KEY_1]', 'FieldValueInvalid']]],
    ['binaryData not base64', (c) => (c.binaryData = { blob: 'not base64!' }), [['binaryData[blob]', 'FieldValueInvalid']]],
    ['too large', (c) => (c.data = { big: 'x'.repeat(1024 * 1024 + 1) }), [['', 'FieldValueTooLong']]],
  ])('%s', (_name, m, want) => {
    expect(run('ConfigMap', newCM(m))).toEqual(want);
  });

  it.each<[string, Mutator<ConfigMap>, Mutator<ConfigMap>, Array<[string, string]>]>([
    ['mutable data change', () => {}, (c) => (c.data = { a: 'b' }), []],
    ['immutable unchanged', (c) => (c.immutable = true), (c) => (c.immutable = true), []],
    ['immutable data change', (c) => (c.immutable = true), (c) => ((c.immutable = true), (c.data = { a: 'b' })), [['data', 'FieldValueForbidden']]],
    ['immutable flag cleared', (c) => (c.immutable = true), (c) => (c.immutable = false), [['immutable', 'FieldValueForbidden']]],
  ])('update: %s', (_name, oldM, newM, want) => {
    expect(runUpdate('ConfigMap', newCM(newM), newCM(oldM))).toEqual(want);
  });
});

describe('Secret validation', () => {
  const newSecret = (m: Mutator<Secret> = () => {}) =>
    mutate<Secret>({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'd' }, data: { password: b64('hunter2') } }, m);
  it.each<[string, Mutator<Secret>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['valid stringData only', (s) => (delete s.data, (s.stringData = { user: 'admin' })), []],
    ['valid tls', (s) => ((s.type = 'kubernetes.io/tls'), (s.data = { 'tls.crt': b64('c'), 'tls.key': b64('k') })), []],
    ['bad key', (s) => (s.data!['bad key'] = b64('x')), [['data[bad key]', 'FieldValueInvalid']]],
    ['bad stringData key', (s) => (s.stringData = { 'a/b': 'x' }), [['data[a/b]', 'FieldValueInvalid']]],
    ['not base64', (s) => (s.data!.token = 'abc'), [['data[token]', 'FieldValueInvalid']]],
    ['tls without key', (s) => ((s.type = 'kubernetes.io/tls'), (s.data = { 'tls.crt': b64('c') })), [['data[tls.key]', 'FieldValueRequired']]],
    ['dockerconfigjson without payload', (s) => (s.type = 'kubernetes.io/dockerconfigjson'), [['data[.dockerconfigjson]', 'FieldValueRequired']]],
    [
      'basic-auth without fields',
      (s) => ((s.type = 'kubernetes.io/basic-auth'), (s.data = {})),
      [['data[username]', 'FieldValueRequired'], ['data[password]', 'FieldValueRequired']],
    ],
    ['basic-auth with password', (s) => (s.type = 'kubernetes.io/basic-auth'), []],
    ['too large', (s) => (s.data = { big: b64('x'.repeat(1024 * 1024 + 1)) }), [['data', 'FieldValueTooLong']]],
    ['too large via stringData', (s) => (s.stringData = { big: 'x'.repeat(1024 * 1024) }), [['data', 'FieldValueTooLong']]],
  ])('%s', (_name, m, want) => {
    expect(run('Secret', newSecret(m))).toEqual(want);
  });

  it('words the size limit like Kubernetes', () => {
    expect(messages('Secret', newSecret((s) => (s.data = { big: b64('x'.repeat(1024 * 1024 + 1)) })))).toEqual([
      'data: Too long: must have at most 1048576 bytes',
    ]);
  });

  it('does not echo secret contents in errors', () => {
    expect(messages('Secret', newSecret((s) => (s.data!.token = 'sekrit')))).toEqual(['data[token]: Invalid value: "<secret contents redacted>": illegal base64 data']);
  });

  it.each<[string, Mutator<Secret>, Mutator<Secret>, Array<[string, string]>]>([
    ['data change', () => {}, (s) => (s.data = { a: b64('b') }), []],
    ['type change', () => {}, (s) => ((s.type = 'kubernetes.io/tls'), (s.data = { 'tls.crt': b64('c'), 'tls.key': b64('k') })), [['type', 'FieldValueInvalid']]],
    ['immutable data change', (s) => (s.immutable = true), (s) => ((s.immutable = true), (s.data = { a: b64('b') })), [['data', 'FieldValueForbidden']]],
  ])('update: %s', (_name, oldM, newM, want) => {
    expect(runUpdate('Secret', newSecret(newM), newSecret(oldM))).toEqual(want);
  });
});

describe('Lease validation', () => {
  const newLease = (m: Mutator<Lease> = () => {}) =>
    mutate<Lease>(
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
        spec: { holderIdentity: 'sched-1', leaseDurationSeconds: 15, leaseTransitions: 0 },
      },
      m,
    );
  it.each<[string, Mutator<Lease>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['empty spec', (l) => (l.spec = {}), []],
    ['zero duration', (l) => (l.spec.leaseDurationSeconds = 0), [['spec.leaseDurationSeconds', 'FieldValueInvalid']]],
    ['negative transitions', (l) => (l.spec.leaseTransitions = -1), [['spec.leaseTransitions', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('Lease', newLease(m))).toEqual(want);
  });
});
