import { describe, expect, it } from 'vitest';
import { Informer, RESOURCES, silentLogger, type DeleteOptions, type KubeObject, type ResourceType } from '@mk8s/shared';
import { FakeClient, flushPromises, newNode, newPod, newReplicaSet, ownerRefFor } from '@mk8s/shared/testing';
import { GarbageCollector, GC_RESOURCES } from './collector.js';

/**
 * The collector over FakeClient with real informers. The fake stands in for the apiserver's
 * delete: a Foreground/Orphan propagation policy marks the object with the matching finalizer.
 */
async function harness(seed: [ResourceType, KubeObject][]) {
  const client = new FakeClient();
  for (const [type, obj] of seed) client.seed(type, [obj]);
  for (const type of GC_RESOURCES) {
    client.prependReactor('delete', type.plural, (a) => {
      const policy = (a.body as DeleteOptions | undefined)?.propagationPolicy;
      const finalizer = policy === 'Foreground' ? 'foregroundDeletion' : policy === 'Orphan' ? 'orphan' : undefined;
      if (!finalizer) return undefined;
      const cur = client.doGet(type, a.namespace, a.name!);
      client.doPatch(type, a.namespace, a.name!, { metadata: { finalizers: [...(cur.metadata.finalizers ?? []), finalizer] } }, 'merge');
      return client.doDelete(type, a.namespace, a.name!, {});
    });
  }
  const queue = new Set<string>();
  const gc = new GarbageCollector({ client, logger: silentLogger(), enqueue: (id) => queue.add(id) });
  const informers = GC_RESOURCES.map((t) => {
    const inf = new Informer<KubeObject>(client.resource(t));
    inf.addHandlers(gc.handlersFor(t));
    inf.start();
    return inf;
  });
  await Promise.all(informers.map((i) => i.waitForSync()));
  const settle = async () => {
    for (let round = 0; round < 100; round++) {
      await flushPromises();
      await flushPromises();
      if (queue.size === 0) return;
      const ids = [...queue];
      queue.clear();
      for (const id of ids) await gc.sync(id);
    }
    throw new Error('garbage collector did not settle');
  };
  const stop = () => Promise.all(informers.map((i) => i.stop()));
  return { client, gc, settle, stop };
}

const rs = newReplicaSet('web', { uid: 'rs-uid' });
const other = newReplicaSet('other', { uid: 'other-uid' });
const podOf = (name: string, owners: KubeObject[], o: { namespace?: string } = {}) =>
  newPod(name, { ownerReferences: owners.map((x) => ownerRefFor(x)), ...o });
const marked = (obj: KubeObject, finalizer: string): KubeObject => ({
  ...obj,
  metadata: { ...obj.metadata, finalizers: [finalizer], deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 },
});
const names = (client: FakeClient, t: ResourceType) => client.all(t).map((o) => o.metadata.name);

describe('GarbageCollector', () => {
  it('background: dependents of a deleted owner go; a dependent with a second live owner stays and loses the dead reference', async () => {
    const h = await harness([
      [RESOURCES.replicasets, rs],
      [RESOURCES.replicasets, other],
      [RESOURCES.pods, podOf('a', [rs])],
      [RESOURCES.pods, podOf('b', [rs])],
      [RESOURCES.pods, podOf('shared', [rs, other])],
    ]);
    await h.settle();
    expect(h.client.actionsFor('delete')).toEqual([]);
    await h.client.resource(RESOURCES.replicasets).delete('default', 'web');
    await h.settle();
    expect(names(h.client, RESOURCES.pods)).toEqual(['shared']);
    expect(h.client.stored<KubeObject>(RESOURCES.pods, 'default', 'shared')?.metadata.ownerReferences?.map((r) => r.uid)).toEqual(['other-uid']);
    await h.stop();
  });

  it('foreground: dependents are deleted first, then the owner finalizer is removed and the owner goes', async () => {
    const h = await harness([
      [RESOURCES.replicasets, marked(rs, 'foregroundDeletion')],
      [RESOURCES.pods, podOf('a', [rs])],
      [RESOURCES.pods, podOf('b', [rs])],
    ]);
    await h.settle();
    expect(names(h.client, RESOURCES.pods)).toEqual([]);
    expect(names(h.client, RESOURCES.replicasets)).toEqual([]);
    const order = h.client.actions.filter((a) => a.verb === 'delete' || a.verb === 'patch').map((a) => `${a.verb} ${a.resource}/${a.name}`);
    expect(order).toEqual(['delete pods/a', 'delete pods/b', 'patch replicasets/web']);
    await h.stop();
  });

  it('foreground: a pod still terminating (graceful) holds the owner', async () => {
    const h = await harness([
      [RESOURCES.replicasets, marked(rs, 'foregroundDeletion')],
      [RESOURCES.pods, newPod('a', { ownerReferences: [ownerRefFor(rs)], nodeName: 'n1', phase: 'Running' })],
    ]);
    await h.settle();
    expect(h.client.stored<KubeObject>(RESOURCES.pods, 'default', 'a')?.metadata.deletionTimestamp).toBeDefined();
    expect(names(h.client, RESOURCES.replicasets)).toEqual(['web']);
    await h.client.resource(RESOURCES.pods).delete('default', 'a', { gracePeriodSeconds: 0 });
    await h.settle();
    expect(names(h.client, RESOURCES.replicasets)).toEqual([]);
    await h.stop();
  });

  it('orphan: dependents lose the reference and stay; the orphan finalizer is removed', async () => {
    const h = await harness([
      [RESOURCES.replicasets, marked(rs, 'orphan')],
      [RESOURCES.pods, podOf('a', [rs])],
      [RESOURCES.pods, podOf('b', [rs, other])],
      [RESOURCES.replicasets, other],
    ]);
    await h.settle();
    expect(names(h.client, RESOURCES.replicasets)).toEqual(['other']);
    expect(names(h.client, RESOURCES.pods)).toEqual(['a', 'b']);
    expect(h.client.stored<KubeObject>(RESOURCES.pods, 'default', 'a')?.metadata.ownerReferences).toBeUndefined();
    expect(h.client.stored<KubeObject>(RESOURCES.pods, 'default', 'b')?.metadata.ownerReferences?.map((r) => r.uid)).toEqual(['other-uid']);
    await h.stop();
  });

  it('a foreground cycle does not block collection', async () => {
    const a: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', uid: 'a-uid' } };
    const b: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b', namespace: 'default', uid: 'b-uid', ownerReferences: [ownerRefFor(a)] } };
    a.metadata.ownerReferences = [ownerRefFor(b)];
    const h = await harness([
      [RESOURCES.configmaps, marked(a, 'foregroundDeletion')],
      [RESOURCES.secrets, b],
    ]);
    await h.settle();
    expect(names(h.client, RESOURCES.configmaps)).toEqual([]);
    expect(names(h.client, RESOURCES.secrets)).toEqual([]);
    await h.stop();
  });

  it('a background cycle: deleting one member collects the other', async () => {
    const a: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', uid: 'a-uid' } };
    const b: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b', namespace: 'default', uid: 'b-uid', ownerReferences: [ownerRefFor(a)] } };
    a.metadata.ownerReferences = [ownerRefFor(b)];
    const h = await harness([
      [RESOURCES.configmaps, a],
      [RESOURCES.secrets, b],
    ]);
    await h.settle();
    expect(h.client.actionsFor('delete')).toEqual([]);
    await h.client.resource(RESOURCES.configmaps).delete('default', 'a');
    await h.settle();
    expect(names(h.client, RESOURCES.secrets)).toEqual([]);
    await h.stop();
  });

  it('owners outside the caches are checked live; cross-namespace owners count as absent', async () => {
    const node = newNode('n1', { uid: 'node-uid' });
    const h = await harness([
      [RESOURCES.nodes, node],
      [RESOURCES.replicasets, rs],
      [RESOURCES.pods, podOf('mirror', [node])],
      [RESOURCES.pods, podOf('ghost', [newNode('gone', { uid: 'gone-uid' })])],
      [RESOURCES.pods, podOf('elsewhere', [rs], { namespace: 'other-ns' })],
    ]);
    await h.settle();
    expect(names(h.client, RESOURCES.pods)).toEqual(['mirror']);
    await h.stop();
  });
});
