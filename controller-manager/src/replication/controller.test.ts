import { RESOURCES, silentLogger, EventRecorder, type Pod, type ReplicaSet, type ReplicationController } from '@mk8s/shared';
import { FakeClient, FakeClock, newPod, newReplicaSet, ownerRefFor } from '@mk8s/shared/testing';
import { describe, expect, it } from 'vitest';
import { EXPECTATIONS_TTL_MS } from '../util/expectations.js';
import { MapLister } from '../util/map-lister.js';
import { replicaSetAdapter, replicationControllerAdapter, type KindAdapter, type ReplicaOwner } from './adapter.js';
import { ReplicaController } from './controller.js';

function newRC(name: string, replicas: number): ReplicationController {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name, namespace: 'default', generation: 1 },
    spec: { replicas, selector: { app: name }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1' }] } } },
  };
}

async function setup(adapter: KindAdapter, owner: ReplicaOwner, pods: Pod[] = []) {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  const ownerApi = client.resource<ReplicaOwner>(adapter.type);
  const podApi = client.resource<Pod>(RESOURCES.pods);
  const created = await ownerApi.create(owner);
  const ownerLister = new MapLister<ReplicaOwner>([created]);
  const podLister = new MapLister<Pod>();
  for (const p of pods) podLister.set(await podApi.create(p));
  const enqueued: string[] = [];
  const recorder = new EventRecorder({ client, component: 'test', clock });
  const c = new ReplicaController({
    adapter,
    owners: ownerLister,
    pods: podLister,
    ownerApi,
    podApi,
    recorder,
    logger: silentLogger(),
    enqueue: (k) => enqueued.push(k),
    clock,
  });
  client.clearActions();
  const podWrites = () => client.actions.filter((a) => a.resource === 'pods' && a.verb !== 'get' && a.verb !== 'list');
  /** make the "cache" see every pod the fake apiserver holds, through the handlers */
  const observe = async () => {
    podLister.catchUp((await podApi.list('default')).items, { onAdd: c.onPodAdd, onUpdate: c.onPodUpdate, onDelete: c.onPodDelete });
    ownerLister.set(await ownerApi.get('default', owner.metadata.name ?? ''));
  };
  return { client, clock, c, ownerApi, podApi, ownerLister, podLister, enqueued, recorder, owner: created, podWrites, observe };
}

const adapters: [string, KindAdapter, (n: string, r: number) => ReplicaOwner][] = [
  ['ReplicaSet', replicaSetAdapter, (n, r) => newReplicaSet(n, { replicas: r })],
  ['ReplicationController', replicationControllerAdapter, (n, r) => newRC(n, r)],
];

describe.each(adapters)('%s controller', (kind, adapter, make) => {
  it('creates missing pods from the template with a controller ownerReference', async () => {
    const s = await setup(adapter, make('web', 3));
    await s.c.sync('default/web');
    const creates = s.podWrites().filter((a) => a.verb === 'create');
    expect(creates).toHaveLength(3);
    const body = creates[0]!.body as Pod;
    expect(body.metadata.generateName).toBe('web-');
    expect(body.metadata.labels).toEqual({ app: 'web' });
    expect(body.metadata.ownerReferences).toEqual([
      { apiVersion: adapter.apiVersion, kind, name: 'web', uid: s.owner.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
  });

  it('does not create again while the cache has not seen its creations (expectations)', async () => {
    const s = await setup(adapter, make('web', 3));
    await s.c.sync('default/web');
    await s.c.sync('default/web');
    expect(s.podWrites().filter((a) => a.verb === 'create')).toHaveLength(3);
    // the cache catches up: still 3
    await s.observe();
    await s.c.sync('default/web');
    expect(s.podWrites().filter((a) => a.verb === 'create')).toHaveLength(3);
  });

  it('acts again once expectations expire (a lost watch event does not wedge it)', async () => {
    const s = await setup(adapter, make('web', 2));
    await s.c.sync('default/web');
    await s.clock.advance(EXPECTATIONS_TTL_MS + 1000);
    await s.c.sync('default/web'); // cache still empty: creates 2 more, as Kubernetes would
    expect(s.podWrites().filter((a) => a.verb === 'create')).toHaveLength(4);
  });

  it('failed creates lower expectations, stop the slow start and set ReplicaFailure', async () => {
    const s = await setup(adapter, make('web', 5));
    s.client.prependReactor('create', 'pods', () => {
      throw new Error('quota exceeded');
    });
    await expect(s.c.sync('default/web')).rejects.toThrow(/FailedCreate/);
    expect(s.podWrites().filter((a) => a.verb === 'create')).toHaveLength(1);
    expect(s.c.expectations.satisfied('default/web')).toBe(true);
    const st = (await s.ownerApi.get('default', 'web')).status;
    expect(st?.conditions?.[0]).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota exceeded' });
    await s.recorder.flush();
    const events = (await s.client.resource(RESOURCES.events).list('default')).items as unknown as { reason: string }[];
    expect(events.map((e) => e.reason)).toContain('FailedCreate');
  });

  it('deletes the least valuable surplus pods and waits for the deletions', async () => {
    const s = await setup(adapter, make('web', 1));
    const ref = ownerRefFor({ ...s.owner, kind, apiVersion: adapter.apiVersion });
    for (const p of [
      newPod('ready', { labels: { app: 'web' }, ownerReferences: [ref], nodeName: 'n1', phase: 'Running', ready: true }),
      newPod('pending', { labels: { app: 'web' }, ownerReferences: [ref], nodeName: 'n1' }),
      newPod('unscheduled', { labels: { app: 'web' }, ownerReferences: [ref] }),
    ])
      s.podLister.set(await s.podApi.create(p));
    s.client.clearActions();
    await s.c.sync('default/web');
    expect(s.podWrites().filter((a) => a.verb === 'delete').map((a) => a.name).sort()).toEqual(['pending', 'unscheduled']);
    expect(s.c.expectations.satisfied('default/web')).toBe(false);
    await s.c.sync('default/web'); // cache unchanged: no second round
    expect(s.podWrites().filter((a) => a.verb === 'delete')).toHaveLength(2);
    await s.observe();
    expect(s.c.expectations.satisfied('default/web')).toBe(true);
  });

  it('adopts a matching orphan after re-reading the owner, and counts it', async () => {
    const s = await setup(adapter, make('web', 1), [newPod('orphan', { labels: { app: 'web' } })]);
    await s.c.sync('default/web');
    expect(s.client.actions.some((a) => a.verb === 'get' && a.resource === adapter.type.plural && a.name === 'web')).toBe(true);
    const patch = s.podWrites().find((a) => a.verb === 'patch');
    expect(patch?.name).toBe('orphan');
    const pod = await s.podApi.get('default', 'orphan');
    expect(pod.metadata.ownerReferences?.[0]).toMatchObject({ uid: s.owner.metadata.uid, controller: true, blockOwnerDeletion: true });
    expect(s.podWrites().filter((a) => a.verb === 'create')).toHaveLength(0);
  });

  it('does not adopt when the owner was replaced (uid precondition)', async () => {
    const s = await setup(adapter, make('web', 1), [newPod('orphan', { labels: { app: 'web' } })]);
    // the apiserver now holds a different object under the same name
    await s.ownerApi.delete('default', 'web');
    await s.ownerApi.create(make('web', 1));
    await expect(s.c.sync('default/web')).rejects.toThrow(/gone/);
    expect((await s.podApi.get('default', 'orphan')).metadata.ownerReferences).toBeUndefined();
  });

  it('releases an owned pod whose labels no longer match, and replaces it', async () => {
    const s = await setup(adapter, make('web', 1));
    const ref = ownerRefFor({ ...s.owner, kind, apiVersion: adapter.apiVersion });
    s.podLister.set(await s.podApi.create(newPod('relabelled', { labels: { app: 'other' }, ownerReferences: [ref] })));
    s.client.clearActions();
    await s.c.sync('default/web');
    expect((await s.podApi.get('default', 'relabelled')).metadata.ownerReferences).toBeUndefined();
    expect(s.podWrites().filter((a) => a.verb === 'create')).toHaveLength(1);
  });

  it.each([
    ['a pod controlled by someone else', { labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'x', uid: 'other', controller: true }] }],
    ['an orphan being deleted', { labels: { app: 'web' }, deletionTimestamp: '2024-01-01T00:00:00Z' }],
    ['a non-matching orphan', { labels: { app: 'db' } }],
    ['a finished orphan', { labels: { app: 'web' }, phase: 'Succeeded' as const }],
  ])('ignores %s', async (_n, opts) => {
    const s = await setup(adapter, make('web', 1));
    s.podLister.set(newPod('p', opts));
    await s.c.sync('default/web');
    expect(s.podWrites().filter((a) => a.verb === 'patch' || a.verb === 'delete')).toHaveLength(0);
    expect(s.podWrites().filter((a) => a.verb === 'create')).toHaveLength(1);
  });

  it('writes status only when it changed', async () => {
    const s = await setup(adapter, make('web', 2));
    await s.c.sync('default/web');
    await s.observe();
    await s.c.sync('default/web');
    const st = (await s.ownerApi.get('default', 'web')).status;
    expect(st).toMatchObject({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 });
    await s.observe();
    s.client.clearActions();
    await s.c.sync('default/web');
    expect(s.client.actions.filter((a) => a.verb === 'update')).toHaveLength(0);
  });

  it('does nothing for an owner that is gone', async () => {
    const s = await setup(adapter, make('web', 2));
    s.ownerLister.remove(s.owner);
    await s.c.sync('default/web');
    expect(s.client.actions.filter((a) => a.verb !== 'get' && a.verb !== 'list')).toHaveLength(0);
  });
});

describe('pod handlers', () => {
  it.each([
    ['an owned pod add enqueues its owner', 'add', { owned: true, labels: { app: 'web' } }, ['default/web']],
    ['an orphan add enqueues matching owners', 'add', { owned: false, labels: { app: 'web' } }, ['default/web']],
    ['a non-matching orphan add enqueues nothing', 'add', { owned: false, labels: { app: 'db' } }, []],
    ['an owned pod delete enqueues its owner', 'delete', { owned: true, labels: { app: 'web' } }, ['default/web']],
    ['an orphan delete enqueues nothing', 'delete', { owned: false, labels: { app: 'web' } }, []],
  ] as const)('%s', async (_n, event, o, want) => {
    const s = await setup(replicaSetAdapter, newReplicaSet('web', { replicas: 1 }));
    const ref = ownerRefFor(s.owner);
    const p = newPod('p', { labels: { ...o.labels }, ...(o.owned ? { ownerReferences: [ref] } : {}) });
    if (event === 'add') s.c.onPodAdd(p);
    else s.c.onPodDelete(p);
    expect(s.enqueued).toEqual(want);
  });

  it('a pod turning ready re-syncs its owner after minReadySeconds', async () => {
    const rs = newReplicaSet('web', { replicas: 1 });
    rs.spec.minReadySeconds = 10;
    const delays: (number | undefined)[] = [];
    const s = await setup(replicaSetAdapter, rs);
    const c = new ReplicaController({
      adapter: replicaSetAdapter,
      owners: s.ownerLister,
      pods: s.podLister,
      ownerApi: s.ownerApi,
      podApi: s.podApi,
      recorder: s.recorder,
      logger: silentLogger(),
      enqueue: (_k, after) => delays.push(after),
    });
    const ref = ownerRefFor(s.owner);
    const before = newPod('p', { labels: { app: 'web' }, ownerReferences: [ref], ready: false, resourceVersion: '1' });
    const after = newPod('p', { labels: { app: 'web' }, ownerReferences: [ref], ready: true, resourceVersion: '2' });
    c.onPodUpdate(before, after);
    expect(delays).toEqual([undefined, 10_100]);
  });

  it('a pod whose controller changed enqueues both owners', async () => {
    const s = await setup(replicaSetAdapter, newReplicaSet('web', { replicas: 1 }));
    const other = await s.ownerApi.create(newReplicaSet('other', { replicas: 1, selector: { app: 'web' } }));
    s.ownerLister.set(other);
    const before = newPod('p', { labels: { app: 'web' }, ownerReferences: [ownerRefFor(s.owner)], resourceVersion: '1' });
    const after = newPod('p', { labels: { app: 'web' }, ownerReferences: [ownerRefFor(other)], resourceVersion: '2' });
    s.c.onPodUpdate(before, after);
    expect(s.enqueued).toEqual(['default/web', 'default/other']);
  });
});

describe('adapters', () => {
  it.each([
    ['RS with matchLabels', replicaSetAdapter.selector(newReplicaSet('a', { selector: { app: 'a' } })).matches({ app: 'a' }), true],
    ['RS with an empty selector selects nothing', replicaSetAdapter.selector({ ...newReplicaSet('a'), spec: { selector: {} } } as ReplicaSet).matches({ app: 'a' }), false],
    ['RC with a map', replicationControllerAdapter.selector(newRC('a', 1)).matches({ app: 'a' }), true],
    ['RC with an empty map selects nothing', replicationControllerAdapter.selector({ ...newRC('a', 1), spec: { selector: {} } } as ReplicationController).matches({ app: 'a' }), false],
  ])('%s', (_n, got, want) => expect(got).toBe(want));
});
