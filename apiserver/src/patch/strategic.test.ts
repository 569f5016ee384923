import { describe, it, expect } from 'vitest';
import { applyPatch } from './index.js';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    labels: { app: 'web', tier: 'fe' },
    annotations: { a: '1' },
    finalizers: ['f1', 'f2'],
    ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o1', uid: 'u1' }],
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx:1',
            ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }],
            env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
            envFrom: [{ configMapRef: { name: 'cm1' } }],
          },
          { name: 'side', image: 'busybox' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
        imagePullSecrets: [{ name: 's1' }],
        tolerations: [{ key: 'k1', operator: 'Exists' }],
      },
    },
  },
});

type AnyObj = Record<string, any>; // test-only: reaching into patched objects
const smp = (kind: string, original: object, patch: unknown): AnyObj =>
  applyPatch(kind, original, 'strategic', JSON.stringify(patch)) as AnyObj;
const containers = (o: AnyObj) => o.spec.template.spec.containers as AnyObj[];

describe('strategic merge patch', () => {
  it.each([
    {
      name: 'set image merges containers by name (kubectl set image)',
      patch: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } },
      check: (o: AnyObj) => {
        expect(containers(o).map((c) => [c.name, c.image])).toEqual([['app', 'nginx:2'], ['side', 'busybox']]);
        expect(containers(o)[0].env).toHaveLength(2);
      },
    },
    {
      name: 'rollout restart adds a template annotation',
      patch: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } },
      check: (o: AnyObj) => {
        expect(o.spec.template.metadata).toEqual({
          labels: { app: 'web' },
          annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
        });
      },
    },
    {
      name: 'env merges by name, new entries after existing ones',
      patch: { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: 'x' }, { name: 'C', value: '3' }] }] } } } },
      check: (o: AnyObj) => expect(containers(o)[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'x' }, { name: 'C', value: '3' }]),
    },
    {
      name: 'ports merge by containerPort',
      patch: { spec: { template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'http' }] }] } } } },
      check: (o: AnyObj) => expect(containers(o)[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443 }]),
    },
    {
      name: 'volumeMounts merge by mountPath',
      patch: { spec: { template: { spec: { containers: [{ name: 'app', volumeMounts: [{ mountPath: '/data', readOnly: true }, { name: 'v2', mountPath: '/v2' }] }] } } } },
      check: (o: AnyObj) =>
        expect(containers(o)[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }, { name: 'v2', mountPath: '/v2' }]),
    },
    {
      name: 'envFrom has no merge strategy: replaced',
      patch: { spec: { template: { spec: { containers: [{ name: 'app', envFrom: [{ secretRef: { name: 's' } }] }] } } } },
      check: (o: AnyObj) => expect(containers(o)[0].envFrom).toEqual([{ secretRef: { name: 's' } }]),
    },
    {
      name: 'tolerations are atomic: replaced',
      patch: { spec: { template: { spec: { tolerations: [{ key: 'k2', operator: 'Exists' }] } } } },
      check: (o: AnyObj) => expect(o.spec.template.spec.tolerations).toEqual([{ key: 'k2', operator: 'Exists' }]),
    },
    {
      name: 'volumes merge by name (new items without $setElementOrder go first, as in Kubernetes)',
      patch: { spec: { template: { spec: { volumes: [{ name: 'cfg', configMap: { name: 'c' } }] } } } },
      check: (o: AnyObj) => expect(o.spec.template.spec.volumes.map((v: AnyObj) => v.name)).toEqual(['cfg', 'data']),
    },
    {
      name: 'imagePullSecrets merge by name',
      patch: { spec: { template: { spec: { imagePullSecrets: [{ name: 's2' }] } } } },
      check: (o: AnyObj) => expect(o.spec.template.spec.imagePullSecrets).toEqual([{ name: 's2' }, { name: 's1' }]),
    },
    {
      name: 'finalizers merge as a set',
      patch: { metadata: { finalizers: ['f2', 'f3'] } },
      check: (o: AnyObj) => expect(o.metadata.finalizers).toEqual(['f1', 'f2', 'f3']),
    },
    {
      name: 'ownerReferences merge by uid',
      patch: { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Y', name: 'o2', uid: 'u2' }] } },
      check: (o: AnyObj) => expect(o.metadata.ownerReferences.map((r: AnyObj) => r.uid)).toEqual(['u2', 'u1']),
    },
    {
      name: 'null deletes map keys',
      patch: { metadata: { labels: { tier: null }, annotations: null } },
      check: (o: AnyObj) => {
        expect(o.metadata.labels).toEqual({ app: 'web' });
        expect(o.metadata.annotations).toBeUndefined();
      },
    },
    {
      name: 'nulls inside new values are dropped',
      patch: { spec: { paused: true, minReadySeconds: null, template: { spec: { nodeSelector: { a: 'b', c: null } } } } },
      check: (o: AnyObj) => {
        expect(o.spec.paused).toBe(true);
        expect(o.spec.template.spec.nodeSelector).toEqual({ a: 'b' });
      },
    },
    {
      name: '$patch: delete removes a list item by merge key',
      patch: { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } },
      check: (o: AnyObj) => expect(containers(o).map((c) => c.name)).toEqual(['app']),
    },
    {
      name: '$patch: replace in a list replaces the whole list',
      patch: { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } },
      check: (o: AnyObj) => expect(containers(o)).toEqual([{ name: 'only', image: 'x' }]),
    },
    {
      name: '$patch: replace on a map replaces the map',
      patch: { metadata: { labels: { $patch: 'replace', only: 'this' } } },
      check: (o: AnyObj) => expect(o.metadata.labels).toEqual({ only: 'this' }),
    },
    {
      name: '$patch: delete on a map empties it',
      patch: { spec: { selector: { $patch: 'delete' } } },
      check: (o: AnyObj) => expect(o.spec.selector).toEqual({}),
    },
    {
      name: '$retainKeys drops keys not listed (strategy type change)',
      patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      check: (o: AnyObj) => expect(o.spec.strategy).toEqual({ type: 'Recreate' }),
    },
    {
      name: '$deleteFromPrimitiveList removes finalizers',
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['f1'] } },
      check: (o: AnyObj) => expect(o.metadata.finalizers).toEqual(['f2']),
    },
    {
      name: '$setElementOrder reorders containers',
      patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }] } } } },
      check: (o: AnyObj) => expect(containers(o).map((c) => c.name)).toEqual(['side', 'app']),
    },
    {
      name: '$setElementOrder with a new item puts it where the order says',
      patch: {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'app' }, { name: 'mid' }, { name: 'side' }],
              containers: [{ name: 'mid', image: 'm' }],
            },
          },
        },
      },
      check: (o: AnyObj) => expect(containers(o).map((c) => c.name)).toEqual(['app', 'mid', 'side']),
    },
    {
      name: '$setElementOrder for a primitive list',
      patch: { metadata: { '$setElementOrder/finalizers': ['f2', 'f1'] } },
      check: (o: AnyObj) => expect(o.metadata.finalizers).toEqual(['f2', 'f1']),
    },
    {
      name: 'new list items lose $-directive keys',
      patch: { spec: { template: { spec: { containers: [{ name: 'new', image: 'n', '$setElementOrder/env': [{ name: 'X' }], env: [{ name: 'X', value: 'y' }] }] } } } },
      check: (o: AnyObj) => expect(containers(o)[0]).toEqual({ name: 'new', image: 'n', env: [{ name: 'X', value: 'y' }] }),
    },
  ])('$name', ({ patch, check }) => {
    const original = deployment();
    const before = JSON.stringify(original);
    check(smp('Deployment', original, patch));
    expect(JSON.stringify(original)).toBe(before);
  });

  it('kubectl apply shaped patch (three-way diff output)', () => {
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'side' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }],
                env: [{ name: 'C', value: '3' }, { name: 'B', $patch: 'delete' }],
                image: 'nginx:3',
                name: 'app',
              },
            ],
          },
        },
      },
    };
    const o = smp('Deployment', deployment(), patch);
    expect(o.spec.replicas).toBe(3);
    expect(containers(o)[0].image).toBe('nginx:3');
    expect(containers(o)[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
    expect(containers(o).map((c) => c.name)).toEqual(['app', 'side']);
    expect(o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe('{}');
  });

  it.each([
    { kind: 'Service', path: ['spec', 'ports'], live: [{ port: 80, targetPort: 8080 }], patch: [{ port: 80, name: 'http' }, { port: 81 }], want: [{ port: 80, targetPort: 8080, name: 'http' }, { port: 81 }] },
    { kind: 'Pod', path: ['status', 'conditions'], live: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }], patch: [{ type: 'Ready', status: 'True' }], want: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] },
    { kind: 'Node', path: ['status', 'conditions'], live: [{ type: 'Ready', status: 'False' }], patch: [{ type: 'MemoryPressure', status: 'False' }], want: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'False' }] },
    { kind: 'Node', path: ['status', 'addresses'], live: [{ type: 'InternalIP', address: '1' }], patch: [{ type: 'InternalIP', address: '2' }], want: [{ type: 'InternalIP', address: '2' }] },
    { kind: 'Node', path: ['spec', 'taints'], live: [{ key: 'a', effect: 'NoSchedule' }], patch: [{ key: 'b', effect: 'NoSchedule' }], want: [{ key: 'b', effect: 'NoSchedule' }] },
    { kind: 'Endpoints', path: ['subsets'], live: [{ addresses: [{ ip: '1' }] }], patch: [{ addresses: [{ ip: '2' }] }], want: [{ addresses: [{ ip: '2' }] }] },
    { kind: 'ReplicaSet', path: ['status', 'conditions'], live: [{ type: 'ReplicaFailure', status: 'True' }], patch: [{ type: 'ReplicaFailure', status: 'False' }], want: [{ type: 'ReplicaFailure', status: 'False' }] },
    { kind: 'Deployment', path: ['status', 'conditions'], live: [{ type: 'Available', status: 'True' }], patch: [{ type: 'Progressing', status: 'True' }], want: [{ type: 'Progressing', status: 'True' }, { type: 'Available', status: 'True' }] },
    { kind: 'Pod', path: ['spec', 'initContainers'], live: [{ name: 'i', image: 'a' }], patch: [{ name: 'i', image: 'b' }], want: [{ name: 'i', image: 'b' }] },
    { kind: 'Pod', path: ['spec', 'hostAliases'], live: [{ ip: '1.1.1.1', hostnames: ['a'] }], patch: [{ ip: '1.1.1.1', hostnames: ['b'] }], want: [{ ip: '1.1.1.1', hostnames: ['b'] }] },
    { kind: 'Pod', path: ['status', 'podIPs'], live: [{ ip: '10.0.0.1' }], patch: [{ ip: '10.0.0.2' }], want: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }] },
    { kind: 'Namespace', path: ['spec', 'finalizers'], live: ['kubernetes'], patch: ['x'], want: ['x'] },
    { kind: 'PersistentVolumeClaim', path: ['status', 'conditions'], live: [{ type: 'Resizing', status: 'True' }], patch: [{ type: 'Resizing', status: 'False' }], want: [{ type: 'Resizing', status: 'False' }] },
    { kind: 'ConfigMap', path: ['metadata', 'finalizers'], live: ['a'], patch: ['b'], want: ['b', 'a'] },
  ])('$kind $path merges by Kubernetes tags', ({ kind, path, live, patch, want }) => {
    const nest = (v: unknown): AnyObj => ({ [path[0] as string]: path.length > 1 ? { [path[1] as string]: v } : v });
    const o = smp(kind, { kind, metadata: { name: 'x' }, ...nest(live) }, nest(patch));
    const got = path.reduce((acc: AnyObj, k) => acc[k], o);
    expect(got).toEqual(want);
  });

  it('a list of lists is 422 like Kubernetes', () => {
    const live = { kind: 'ConfigMap', metadata: { name: 'x', finalizers: [] } };
    expect(() => smp('ConfigMap', live, { metadata: { finalizers: [['a']] } })).toThrow(
      expect.objectContaining({ code: 422, reason: 'Invalid', details: { causes: [{ reason: 'UnexpectedServerResponse', message: 'lists of lists are not supported' }] } }),
    );
  });

  it.each([
    { name: 'bad $patch on a map', patch: { metadata: { $patch: 'bogus' } }, code: 400, reason: 'BadRequest', message: /unknown patch type: bogus/ },
    { name: '$patch: merge in a list', patch: { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } }, code: 400, reason: 'BadRequest', message: /merging lists cannot yet be specified/ },
    { name: 'list item without merge key', patch: { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, code: 400, reason: 'BadRequest', message: /does not contain declared merge key: name/ },
    { name: '$retainKeys not a list', patch: { spec: { strategy: { $retainKeys: 'type' } } }, code: 400, reason: 'BadRequest', message: /^invalid patch format of retainKeys$/ },
    { name: '$retainKeys missing a patched key', patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, code: 400, reason: 'BadRequest', message: /^invalid patch format of retainKeys$/ },
    { name: '$setElementOrder not a list', patch: { metadata: { '$setElementOrder/finalizers': 'x' } }, code: 400, reason: 'BadRequest', message: /^invalid patch format of setElementOrder list$/ },
    { name: '$setElementOrder order mismatch', patch: { metadata: { '$setElementOrder/finalizers': ['f1'], finalizers: ['f9'] } }, code: 400, reason: 'BadRequest', message: /doesn't match \$setElementOrder list/ },
    { name: 'mixed element types', patch: { metadata: { finalizers: [['a']] } }, code: 400, reason: 'BadRequest', message: /list element types are not identical/ },
    { name: 'not an object', patch: [1], code: 400, reason: 'BadRequest', message: /invalid JSON document/ },
  ])('rejects $name', ({ patch, code, reason, message }) => {
    let err: unknown;
    try {
      smp('Deployment', deployment(), patch);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code, reason });
    expect((err as Error).message).toMatch(message);
  });

  it('kinds without a schema are 415 like CRDs', () => {
    expect(() => smp('Widget', { metadata: {} }, {})).toThrow(expect.objectContaining({ code: 415, reason: 'UnsupportedMediaType' }));
  });
});
