import { describe, it, expect } from 'vitest';
import { ApiError } from './api/errors.js';
import type { Pod } from './api/core.js';
import { RESOURCES } from './api/resources.js';
import { Informer, type InformerOptions } from './informer.js';
import { FakeClient } from './testing/fake-client.js';
import { FakeClock, flushPromises } from './testing/fake-clock.js';
import { newPod } from './testing/builders.js';
import { keyOf } from './keys.js';

/** Lets promise chains run until `cond` holds (bounded: no timing involved). */
async function settle(cond: () => boolean = () => false, rounds = 50): Promise<void> {
  for (let i = 0; i < rounds && !cond(); i++) await flushPromises();
}

function setup(opts: InformerOptions = {}, pods: Pod[] = []) {
  const fake = new FakeClient();
  fake.seed(RESOURCES.pods, pods);
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  const informer = new Informer<Pod>(fake.resource<Pod>(RESOURCES.pods), { sleep, backoff: { initialMs: 100, maxMs: 1000 }, ...opts });
  const log: string[] = [];
  informer.addHandlers({
    onAdd: (o) => log.push(`add ${keyOf(o)}`),
    onUpdate: (a, b) => log.push(`update ${keyOf(b)} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
    onDelete: (o) => log.push(`delete ${keyOf(o)}`),
  });
  const pods$ = fake.resource<Pod>(RESOURCES.pods);
  return { fake, informer, log, sleeps, pods: pods$ };
}

describe('Informer', () => {
  it('lists, syncs, then follows watch events in order', async () => {
    const { fake, informer, log, pods } = setup({}, [newPod('a'), newPod('b', { namespace: 'x' })]);
    expect(informer.hasSynced()).toBe(false);
    informer.start();
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    expect(log).toEqual(['add default/a', 'add x/b']);
    expect(informer.lastSyncResourceVersion()).toBe(fake.currentResourceVersion());
    await settle(() => fake.watches.count() > 0);
    log.length = 0;
    const c = await pods.create(newPod('c'));
    const c2 = await pods.patch('default', 'c', { metadata: { labels: { v: '2' } } });
    await pods.delete('x', 'b');
    await settle(() => log.length >= 3);
    expect(log).toEqual(['add default/c', `update default/c ${c.metadata.resourceVersion}->${c2.metadata.resourceVersion}`, 'delete x/b']);
    expect(informer.get('default', 'c')?.metadata.labels).toEqual({ v: '2' });
    expect(informer.getByKey('x/b')).toBeUndefined();
    expect(informer.list().map(keyOf).sort()).toEqual(['default/a', 'default/c']);
    expect(informer.list('default').map(keyOf).sort()).toEqual(['default/a', 'default/c']);
    expect(informer.list('x')).toEqual([]);
    expect(informer.lastSyncResourceVersion()).toBe(fake.currentResourceVersion());
    await informer.stop();
    expect(fake.watches.count()).toBe(0);
  });

  it('watches from the list resourceVersion with bookmarks and the selectors', async () => {
    const { fake, informer } = setup({ namespace: 'default', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' });
    informer.start();
    await informer.waitForSync();
    await settle(() => fake.watches.count() > 0);
    const list = fake.actionsFor('list')[0]!;
    const watch = fake.actionsFor('watch')[0]!;
    expect(list).toMatchObject({ namespace: 'default', options: { labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1', limit: 500 } });
    expect(watch).toMatchObject({
      namespace: 'default',
      options: { resourceVersion: fake.currentResourceVersion(), allowWatchBookmarks: true, labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' },
    });
    await informer.stop();
  });

  it('rewatches from the last resourceVersion when the stream ends, without relisting', async () => {
    const { fake, informer, log, pods } = setup({}, [newPod('a')]);
    informer.start();
    await informer.waitForSync();
    await settle(() => fake.watches.count() > 0);
    await pods.create(newPod('b'));
    await settle(() => log.length >= 2);
    const rv = informer.lastSyncResourceVersion();
    fake.watches.endAll();
    // a change while no watch is open must still arrive through the new watch
    fake.doCreate(RESOURCES.pods, newPod('c'));
    await settle(() => log.length >= 3);
    expect(log).toEqual(['add default/a', 'add default/b', 'add default/c']);
    expect(fake.actionsFor('list')).toHaveLength(1);
    const watches = fake.actionsFor('watch');
    expect(watches).toHaveLength(2);
    expect(watches[1]!.options).toMatchObject({ resourceVersion: rv });
    await informer.stop();
  });

  it('relists on a 410 ERROR event and turns the differences into handler calls', async () => {
    const { fake, informer, log } = setup({}, [newPod('a'), newPod('b')]);
    informer.start();
    await informer.waitForSync();
    await settle(() => fake.watches.count() > 0);
    fake.watches.sendError(RESOURCES.pods);
    // changes the informer never sees as watch events: only the relist can find them
    fake.doDelete(RESOURCES.pods, 'default', 'a');
    fake.doCreate(RESOURCES.pods, newPod('c'));
    fake.doPatch(RESOURCES.pods, 'default', 'b', { metadata: { labels: { x: 'y' } } }, 'merge');
    fake.watches.compact();
    await settle(() => fake.actionsFor('watch').length >= 2);
    expect(fake.actionsFor('list')).toHaveLength(2);
    expect(log.slice(2).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['add default/c', 'update default/b', 'delete default/a']);
    expect(informer.list().map(keyOf).sort()).toEqual(['default/b', 'default/c']);
    expect(fake.actionsFor('watch')[1]!.options).toMatchObject({ resourceVersion: fake.currentResourceVersion() });
    await informer.stop();
  });

  it('relists when the watch itself fails with 410', async () => {
    const { fake, informer } = setup({}, [newPod('a')]);
    let failWatch = true;
    fake.prependReactor('watch', 'pods', () => {
      if (failWatch) {
        failWatch = false;
        throw new ApiError(410, 'Expired', 'too old resource version');
      }
    });
    informer.start();
    await settle(() => fake.actionsFor('watch').length >= 2);
    expect(fake.actionsFor('list')).toHaveLength(2);
    await informer.stop();
  });

  it('backs off exponentially (capped) on list errors, then recovers', async () => {
    const { fake, informer, log, sleeps } = setup({}, [newPod('a')]);
    let failures = 5;
    fake.prependReactor('list', 'pods', () => {
      if (failures-- > 0) throw new ApiError(503, 'ServiceUnavailable', 'down');
    });
    informer.start();
    await informer.waitForSync();
    expect(sleeps).toEqual([100, 200, 400, 800, 1000]);
    expect(log).toEqual(['add default/a']);
    await informer.stop();
  });

  it('relists after backoff on a non-410 ERROR event', async () => {
    const { fake, informer, sleeps } = setup({}, [newPod('a')]);
    informer.start();
    await informer.waitForSync();
    await settle(() => fake.watches.count() > 0);
    fake.watches.sendError(RESOURCES.pods, new ApiError(500, 'InternalError', 'boom').toStatus());
    await settle(() => fake.actionsFor('watch').length >= 2);
    expect(fake.actionsFor('list')).toHaveLength(2);
    expect(sleeps).toEqual([100]);
    await informer.stop();
  });

  it('pages through a large list', async () => {
    const { fake, informer } = setup({ pageSize: 2 }, ['a', 'b', 'c', 'd', 'e'].map((n) => newPod(n)));
    informer.start();
    await informer.waitForSync();
    expect(fake.actionsFor('list')).toHaveLength(3);
    expect(informer.list()).toHaveLength(5);
    await informer.stop();
  });

  it('a throwing handler neither stops the informer nor other handlers', async () => {
    const { informer, log, pods, fake } = setup({}, [newPod('a')]);
    informer.addHandlers({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    informer.start();
    await informer.waitForSync();
    await settle(() => fake.watches.count() > 0);
    await pods.create(newPod('b'));
    await settle(() => log.length >= 2);
    expect(log).toEqual(['add default/a', 'add default/b']);
    await informer.stop();
  });

  it('handlers added late get the cached objects as adds', async () => {
    const { informer } = setup({}, [newPod('a'), newPod('b')]);
    informer.start();
    await informer.waitForSync();
    const late: string[] = [];
    informer.addHandlers({ onAdd: (o) => late.push(keyOf(o)) });
    expect(late.sort()).toEqual(['default/a', 'default/b']);
    await informer.stop();
  });

  it('maintains indexes through events', async () => {
    const { informer, pods, fake } = setup({}, [newPod('a', { nodeName: 'n1' }), newPod('b')]);
    informer.addIndex('node', (p) => (p.spec.nodeName ? [p.spec.nodeName] : []));
    informer.start();
    await informer.waitForSync();
    await settle(() => fake.watches.count() > 0);
    expect(informer.byIndex('node', 'n1').map(keyOf)).toEqual(['default/a']);
    await pods.createSubresource('default', 'b', 'binding', { target: { kind: 'Node', name: 'n1' } });
    await pods.delete('default', 'a', { gracePeriodSeconds: 0 });
    await settle(() => informer.byIndex('node', 'n1').length === 1 && informer.byIndex('node', 'n1')[0]!.metadata.name === 'b');
    expect(informer.byIndex('node', 'n1').map(keyOf)).toEqual(['default/b']);
    expect(informer.byIndex('node', 'n2')).toEqual([]);
    await informer.stop();
  });

  it('a label-selected informer sees an object that stops matching as a delete', async () => {
    const { informer, log, pods, fake } = setup({ labelSelector: 'app=web' }, [newPod('a', { labels: { app: 'web' } }), newPod('b')]);
    informer.start();
    await informer.waitForSync();
    await settle(() => fake.watches.count() > 0);
    await pods.patch('default', 'a', { metadata: { labels: { app: 'db' } } });
    await settle(() => log.length >= 2);
    expect(log).toEqual(['add default/a', 'delete default/a']);
    await informer.stop();
  });

  it('resyncs every resyncMs with onUpdate(obj, obj)', async () => {
    const clock = new FakeClock();
    const { informer, log, fake } = setup({ clock, resyncMs: 1000 }, [newPod('a')]);
    informer.start();
    await informer.waitForSync();
    await settle(() => fake.watches.count() > 0);
    await clock.advance(999);
    expect(log).toEqual(['add default/a']);
    await clock.advance(1);
    await clock.advance(1000);
    const rv = informer.get('default', 'a')!.metadata.resourceVersion;
    expect(log).toEqual(['add default/a', `update default/a ${rv}->${rv}`, `update default/a ${rv}->${rv}`]);
    await informer.stop();
    expect(clock.pending()).toBe(0);
  });

  it('stop before sync rejects waitForSync and ends the loop', async () => {
    const { fake, informer } = setup();
    fake.prependReactor('list', 'pods', () => new Promise(() => undefined));
    informer.start();
    const wait = informer.waitForSync();
    await informer.stop();
    await expect(wait).rejects.toThrow('stopped before it synced');
    expect(informer.hasSynced()).toBe(false);
  });

  it('fills kind and apiVersion on listed items that lack them', async () => {
    const { fake, informer } = setup();
    fake.prependReactor('list', 'pods', () => ({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '5' }, items: [{ metadata: { name: 'x', namespace: 'default' }, spec: { containers: [] } }] }));
    informer.start();
    await informer.waitForSync();
    expect(informer.get('default', 'x')).toMatchObject({ kind: 'Pod', apiVersion: 'v1' });
    expect(informer.lastSyncResourceVersion()).toBe('5');
    await informer.stop();
  });
});
