import { EventRecorder, RESOURCES, silentLogger, type DaemonSet, type Node, type Pod } from '@mk8s/shared';
import { FakeClient, FakeClock } from '@mk8s/shared/testing';
import { describe, expect, it } from 'vitest';
import { MapLister } from '../util/map-lister.js';
import { DaemonSetController } from './controller.js';
import { templateHash } from './daemon-pod.js';
import { targetNodeName } from './node-fit.js';
import { newDaemonSet, newNode } from './testing.js';

async function setup(ds: DaemonSet, nodeList: Node[]) {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  const dsApi = client.resource<DaemonSet>(RESOURCES.daemonsets);
  const podApi = client.resource<Pod>(RESOURCES.pods);
  const created = await dsApi.create(ds);
  const daemonSets = new MapLister<DaemonSet>([created]);
  const pods = new MapLister<Pod>();
  const nodes = new MapLister<Node>(nodeList);
  const enqueued: [string, number | undefined][] = [];
  const c = new DaemonSetController({
    daemonSets,
    pods,
    nodes,
    dsApi,
    podApi,
    recorder: new EventRecorder({ client, component: 'test', clock }),
    logger: silentLogger(),
    enqueue: (k, ms) => enqueued.push([k, ms]),
    clock,
  });
  client.clearActions();
  const writes = (verb: string) => client.actions.filter((a) => a.resource === 'pods' && a.verb === verb);
  /** the "cache" catches up with the fake apiserver, through the handlers */
  const observe = async () => {
    pods.catchUp((await podApi.list('default')).items, { onAdd: c.onPodAdd, onUpdate: c.onPodUpdate, onDelete: c.onPodDelete });
    daemonSets.set(await dsApi.get('default', ds.metadata.name ?? ''));
  };
  /** the scheduler and kubelet: remove terminating pods, bind each new pod to its pinned node and make it Running and Ready */
  const runAll = async () => {
    for (const p of (await podApi.list('default')).items) {
      if (p.metadata.deletionTimestamp) await podApi.delete('default', p.metadata.name ?? '', { gracePeriodSeconds: 0 });
      if (p.spec.nodeName) continue;
      const bound = await podApi.update({ ...p, spec: { ...p.spec, nodeName: targetNodeName(p) ?? '' } });
      await podApi.updateStatus({ ...bound, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(clock.now()).toISOString() }] } });
    }
  };
  const podNodes = async () => (await podApi.list('default')).items.map((p) => targetNodeName(p)).sort();
  return { client, clock, c, dsApi, podApi, pods, nodes, daemonSets, enqueued, writes, observe, runAll, podNodes, ds: created };
}

describe('DaemonSetController', () => {
  it('creates one pod per fitting node, then waits for them to be observed', async () => {
    const s = await setup(newDaemonSet('ds'), [newNode('a'), newNode('b', { taints: [{ key: 'x', effect: 'NoSchedule' }] }), newNode('c', { unschedulable: true })]);
    await s.c.sync('default/ds');
    expect(await s.podNodes()).toEqual(['a', 'c']);
    await s.c.sync('default/ds');
    expect(s.writes('create')).toHaveLength(2);
    await s.observe();
    await s.c.sync('default/ds');
    expect(s.writes('create')).toHaveLength(2);
    const events = (await s.client.resource(RESOURCES.events).list('default')).items as unknown as { reason: string }[];
    expect(events.map((e) => e.reason)).toEqual(['SuccessfulCreate', 'SuccessfulCreate']);
  });

  it('writes status and observedGeneration; rollout completes once pods are ready', async () => {
    const s = await setup(newDaemonSet('ds'), [newNode('a'), newNode('b')]);
    await s.c.sync('default/ds');
    await s.observe();
    await s.c.sync('default/ds');
    expect((await s.dsApi.get('default', 'ds')).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 0, updatedNumberScheduled: 2, numberUnavailable: 2, observedGeneration: 1 });
    await s.runAll();
    await s.observe();
    await s.c.sync('default/ds');
    expect((await s.dsApi.get('default', 'ds')).status).toMatchObject({ numberReady: 2, numberAvailable: 2, numberUnavailable: 0 });
  });

  it('deletes the pod of a node that stops matching, and replaces a deleted pod', async () => {
    const s = await setup(newDaemonSet('ds', { template: { metadata: { labels: { app: 'ds' } }, spec: { containers: [{ name: 'c', image: 'i' }], nodeSelector: { d: 'y' } } } }), [
      newNode('a', { labels: { d: 'y' } }),
      newNode('b', { labels: { d: 'y' } }),
    ]);
    await s.c.sync('default/ds');
    await s.observe();
    s.nodes.set(newNode('b', { labels: { d: 'n' } }));
    await s.c.sync('default/ds');
    expect(await s.podNodes()).toEqual(['a']);
    await s.observe();
    const [pod] = (await s.podApi.list('default')).items;
    await s.podApi.delete('default', pod!.metadata.name ?? '');
    await s.observe();
    await s.c.sync('default/ds');
    expect(await s.podNodes()).toEqual(['a']);
    expect(s.writes('create')).toHaveLength(3);
  });

  it('rolls a new template out one node at a time, creating after the old pod is gone', async () => {
    const s = await setup(newDaemonSet('ds'), [newNode('a'), newNode('b')]);
    await s.c.sync('default/ds');
    await s.observe();
    await s.runAll();
    await s.observe();
    const current = await s.dsApi.get('default', 'ds');
    const updated = await s.dsApi.update({ ...current, metadata: { ...current.metadata, generation: 2 }, spec: { ...current.spec, template: { ...current.spec.template, spec: { containers: [{ name: 'c', image: 'v2' }] } } } });
    s.daemonSets.set(updated);
    const hash = templateHash(updated);
    const images = async () => (await s.podApi.list('default')).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => `${targetNodeName(p) ?? ''}:${p.spec.containers[0]!.image}`).sort();
    const seen: string[][] = [];
    for (let round = 0; round < 6; round++) {
      await s.c.sync('default/ds');
      seen.push(await images());
      await s.observe();
      await s.runAll();
      await s.observe();
    }
    // maxUnavailable 1: never both nodes without a serving pod; the new pod only after the old one is gone
    expect(seen.every((imgs) => imgs.length >= 1 && new Set(imgs.map((i) => i.split(':')[0])).size === imgs.length)).toBe(true);
    expect(seen[0]).toEqual(['b:busybox:1']);
    expect(await images()).toEqual(['a:v2', 'b:v2']);
    expect((await s.podApi.list('default')).items.every((p) => p.metadata.labels?.['controller-revision-hash'] === hash)).toBe(true);
    expect((await s.dsApi.get('default', 'ds')).status).toMatchObject({ updatedNumberScheduled: 2, numberAvailable: 2, observedGeneration: 2 });
  });

  it('OnDelete: a new template changes nothing until a pod is deleted', async () => {
    const s = await setup(newDaemonSet('ds', { updateStrategy: { type: 'OnDelete' } }), [newNode('a')]);
    await s.c.sync('default/ds');
    await s.observe();
    await s.runAll();
    await s.observe();
    const current = await s.dsApi.get('default', 'ds');
    s.daemonSets.set(await s.dsApi.update({ ...current, spec: { ...current.spec, template: { ...current.spec.template, spec: { containers: [{ name: 'c', image: 'v2' }] } } } }));
    await s.c.sync('default/ds');
    expect(s.writes('delete')).toHaveLength(0);
    const [pod] = (await s.podApi.list('default')).items;
    await s.podApi.delete('default', pod!.metadata.name ?? '');
    await s.observe();
    await s.c.sync('default/ds');
    expect(s.writes('create')).toHaveLength(1);
    await s.runAll();
    await s.observe();
    await s.c.sync('default/ds');
    expect((await s.podApi.list('default')).items.map((p) => p.spec.containers[0]!.image)).toEqual(['v2']);
  });

  it('deletes a failed pod (with a FailedDaemonPod warning) and backs off before the next', async () => {
    const s = await setup(newDaemonSet('ds'), [newNode('a')]);
    await s.c.sync('default/ds');
    await s.observe();
    const [pod] = (await s.podApi.list('default')).items;
    await s.podApi.updateStatus({ ...pod!, status: { phase: 'Failed' } });
    await s.observe();
    await s.c.sync('default/ds');
    expect(s.writes('delete')).toHaveLength(1);
    const events = (await s.client.resource(RESOURCES.events).list('default')).items as unknown as { reason: string; type: string }[];
    expect(events.find((e) => e.reason === 'FailedDaemonPod')?.type).toBe('Warning');
    await s.observe();
    await s.c.sync('default/ds');
    await s.observe();
    const [again] = (await s.podApi.list('default')).items;
    await s.podApi.updateStatus({ ...again!, status: { phase: 'Failed' } });
    await s.observe();
    await s.c.sync('default/ds');
    expect(s.writes('delete')).toHaveLength(1);
    expect(s.enqueued.some(([, ms]) => ms === 1000)).toBe(true);
    await s.clock.advance(1000);
    await s.c.sync('default/ds');
    expect(s.writes('delete')).toHaveLength(2);
  });

  it('adopts a matching orphan instead of creating a second pod', async () => {
    const s = await setup(newDaemonSet('ds'), [newNode('a')]);
    const orphan = await s.podApi.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default', labels: { app: 'ds' } }, spec: { nodeName: 'a', containers: [{ name: 'c', image: 'i' }] } });
    s.pods.set(orphan);
    await s.c.sync('default/ds');
    expect(s.writes('create')).toHaveLength(1);
    const adopted = await s.podApi.get('default', 'orphan');
    expect(adopted.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'ds', controller: true });
  });

  it('handlers: node heartbeats enqueue nothing, label or taint changes enqueue every DaemonSet, orphans enqueue matching ones', async () => {
    const s = await setup(newDaemonSet('ds'), [newNode('a')]);
    s.daemonSets.set(newDaemonSet('other'));
    const a = newNode('a');
    s.c.onNodeUpdate(a, { ...a, metadata: { ...a.metadata, resourceVersion: '9' }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'later' }] } });
    expect(s.enqueued).toEqual([]);
    s.c.onNodeUpdate(a, newNode('a', { labels: { x: 'y' } }));
    expect(s.enqueued.map(([k]) => k).sort()).toEqual(['default/ds', 'default/other']);
    s.enqueued.length = 0;
    s.c.onPodAdd({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'other' } }, spec: { containers: [] } });
    expect(s.enqueued.map(([k]) => k)).toEqual(['default/other']);
  });
});
