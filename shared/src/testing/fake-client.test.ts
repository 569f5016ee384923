import { describe, it, expect } from 'vitest';
import { ApiError } from '../api/errors.js';
import type { KubeObject, WatchEvent } from '../api/meta.js';
import { RESOURCES } from '../api/resources.js';
import type { ConfigMap, Pod } from '../api/core.js';
import type { Deployment, Scale } from '../api/apps.js';
import { FakeClient } from './fake-client.js';
import { flushPromises } from './fake-clock.js';
import { newDeployment, newPod } from './builders.js';

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): ConfigMap => ({
  metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
  data,
});

async function errorOf(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected an error');
}

describe('FakeClient CRUD', () => {
  it('create sets uid, creationTimestamp, resourceVersion, generation, kind', async () => {
    const fake = new FakeClient();
    const pods = fake.resource<Pod>(RESOURCES.pods);
    const p = await pods.create({ metadata: { name: 'a', namespace: 'ns' }, spec: { containers: [] } });
    expect(p.metadata.uid).toBeTruthy();
    expect(p.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(p.metadata.generation).toBe(1);
    expect(p.kind).toBe('Pod');
    expect(p.apiVersion).toBe('v1');
    const q = await pods.create({ metadata: { name: 'b', namespace: 'ns' }, spec: { containers: [] } });
    expect(Number(q.metadata.resourceVersion)).toBeGreaterThan(Number(p.metadata.resourceVersion));
  });

  it.each([
    ['get missing', (f: FakeClient) => f.resource(RESOURCES.configmaps).get('default', 'nope'), 404, 'NotFound'],
    ['create twice', async (f: FakeClient) => {
      await f.resource(RESOURCES.configmaps).create(cm('x'));
      return f.resource(RESOURCES.configmaps).create(cm('x'));
    }, 409, 'AlreadyExists'],
    ['update stale', async (f: FakeClient) => {
      const api = f.resource<ConfigMap>(RESOURCES.configmaps);
      const c = await api.create(cm('x'));
      await api.update({ ...c, data: { a: '1' } });
      return api.update({ ...c, data: { a: '2' } });
    }, 409, 'Conflict'],
    ['update missing', (f: FakeClient) => f.resource<ConfigMap>(RESOURCES.configmaps).update(cm('x')), 404, 'NotFound'],
    ['delete missing', (f: FakeClient) => f.resource(RESOURCES.configmaps).delete('default', 'x'), 404, 'NotFound'],
    ['no name', (f: FakeClient) => f.resource(RESOURCES.configmaps).create({ metadata: {} }), 422, 'Invalid'],
    ['merge patch with stale resourceVersion', async (f: FakeClient) => {
      const api = f.resource<ConfigMap>(RESOURCES.configmaps);
      await api.create(cm('x'));
      return api.patch('default', 'x', { metadata: { resourceVersion: '999' }, data: { a: '1' } });
    }, 409, 'Conflict'],
    ['bad selector', (f: FakeClient) => f.resource(RESOURCES.configmaps).list('default', { labelSelector: 'a in (' }), 400, 'BadRequest'],
  ])('%s', async (_name, act, code, reason) => {
    const err = await errorOf(act(new FakeClient()));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe(code);
    expect(err.reason).toBe(reason);
  });

  it('generateName makes a unique name', async () => {
    const fake = new FakeClient();
    const api = fake.resource<ConfigMap>(RESOURCES.configmaps);
    const a = await api.create({ metadata: { generateName: 'web-', namespace: 'default' } });
    const b = await api.create({ metadata: { generateName: 'web-', namespace: 'default' } });
    expect(a.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(a.metadata.name).not.toBe(b.metadata.name);
  });

  it('list filters by namespace, labels and fields, and pages', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.pods, [
      newPod('a', { labels: { app: 'web' }, nodeName: 'n1' }),
      newPod('b', { labels: { app: 'web' } }),
      newPod('c', { labels: { app: 'db' }, namespace: 'other', nodeName: 'n1' }),
    ]);
    const pods = fake.resource<Pod>(RESOURCES.pods);
    const names = async (ns: string | undefined, opts = {}) => (await pods.list(ns, opts)).items.map((p) => p.metadata.name);
    expect(await names(undefined)).toEqual(['a', 'b', 'c']);
    expect(await names('default')).toEqual(['a', 'b']);
    expect(await names(undefined, { labelSelector: 'app=web' })).toEqual(['a', 'b']);
    expect(await names(undefined, { fieldSelector: 'spec.nodeName=n1' })).toEqual(['a', 'c']);
    expect(await names(undefined, { fieldSelector: 'spec.nodeName=' })).toEqual(['b']);
    expect(await names(undefined, { fieldSelector: 'metadata.name=b' })).toEqual(['b']);
    const p1 = await pods.list(undefined, { limit: 2 });
    expect(p1.items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(p1.metadata.continue).toBeTruthy();
    const p2 = await pods.list(undefined, { limit: 2, continue: p1.metadata.continue });
    expect(p2.items.map((p) => p.metadata.name)).toEqual(['c']);
    expect(p2.metadata.continue).toBeUndefined();
    expect(fake.actions).toHaveLength(0 + 8);
  });

  it('update keeps status for kinds with a status subresource; updateStatus changes only status', async () => {
    const fake = new FakeClient();
    const api = fake.resource<Deployment>(RESOURCES.deployments);
    const d = await api.create(newDeployment('d'));
    const withStatus = await api.updateStatus({ ...d, spec: { ...d.spec, replicas: 9 }, status: { replicas: 3 } });
    expect(withStatus.status).toEqual({ replicas: 3 });
    expect(withStatus.spec.replicas).toBe(1);
    expect(withStatus.metadata.generation).toBe(1);
    const updated = await api.update({ ...withStatus, spec: { ...withStatus.spec, replicas: 5 }, status: { replicas: 0 } });
    expect(updated.spec.replicas).toBe(5);
    expect(updated.status).toEqual({ replicas: 3 });
    expect(updated.metadata.generation).toBe(2);
  });

  it('a no-op update keeps the resourceVersion', async () => {
    const fake = new FakeClient();
    const api = fake.resource<ConfigMap>(RESOURCES.configmaps);
    const c = await api.create(cm('x', { a: '1' }));
    const again = await api.update(c);
    expect(again.metadata.resourceVersion).toBe(c.metadata.resourceVersion);
  });

  it.each([
    ['merge', { data: { a: null, b: '2' } }, { b: '2' }],
    ['json', [{ op: 'replace', path: '/data/a', value: '9' }], { a: '9' }],
    ['strategic (as merge)', { data: { c: '3' } }, { a: '1', c: '3' }],
  ] as const)('%s patch', async (type, patch, data) => {
    const fake = new FakeClient();
    const api = fake.resource<ConfigMap>(RESOURCES.configmaps);
    await api.create(cm('x', { a: '1' }));
    const out = await api.patch('default', 'x', patch, type.split(' ')[0] as 'merge');
    expect(out.data).toEqual(data);
    expect(fake.actionsFor('patch')[0]).toMatchObject({ verb: 'patch', resource: 'configmaps', name: 'x', patchType: type.split(' ')[0] });
  });

  it('binding sets nodeName and PodScheduled, then refuses a second binding', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.pods, [newPod('p')]);
    const pods = fake.resource<Pod>(RESOURCES.pods);
    const target = { kind: 'Node', name: 'n1' };
    await pods.createSubresource('default', 'p', 'binding', { metadata: { name: 'p' }, target });
    const p = await pods.get('default', 'p');
    expect(p.spec.nodeName).toBe('n1');
    expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    const err = await errorOf(pods.createSubresource('default', 'p', 'binding', { target }));
    expect(err.reason).toBe('Conflict');
    expect(fake.actionsFor('create', 'pods')[0]).toMatchObject({ subresource: 'binding', name: 'p' });
  });

  it('delete honours finalizers', async () => {
    const fake = new FakeClient();
    const api = fake.resource<ConfigMap>(RESOURCES.configmaps);
    await api.create({ ...cm('x'), metadata: { name: 'x', namespace: 'default', finalizers: ['example.com/f'] } });
    const res = (await api.delete('default', 'x')) as ConfigMap;
    expect(res.metadata.deletionTimestamp).toBeTruthy();
    const still = await api.get('default', 'x');
    expect(still.metadata.deletionTimestamp).toBeTruthy();
    await api.update({ ...still, metadata: { ...still.metadata, finalizers: [] } });
    expect((await errorOf(api.get('default', 'x'))).reason).toBe('NotFound');
  });

  it('deletes a running bound pod gracefully; grace 0 removes it', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.pods, [newPod('p', { nodeName: 'n1', phase: 'Running' }), newPod('q')]);
    const pods = fake.resource<Pod>(RESOURCES.pods);
    await pods.delete('default', 'p');
    expect((await pods.get('default', 'p')).metadata.deletionGracePeriodSeconds).toBe(30);
    await pods.delete('default', 'p', { gracePeriodSeconds: 0 });
    expect(fake.stored(RESOURCES.pods, 'default', 'p')).toBeUndefined();
    await pods.delete('default', 'q');
    expect(fake.stored(RESOURCES.pods, 'default', 'q')).toBeUndefined();
  });

  it('scale subresource reads and writes replicas', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.deployments, [newDeployment('d', { replicas: 2 })]);
    const api = fake.resource<Deployment>(RESOURCES.deployments);
    const s = await api.getSubresource<Scale>('default', 'd', 'scale');
    expect(s.spec.replicas).toBe(2);
    expect(s.status?.selector).toBe('app=d');
    await api.patch('default', 'd', { spec: { replicas: 4 } }, 'merge', { subresource: 'scale' });
    expect((await api.get('default', 'd')).spec.replicas).toBe(4);
  });

  it('reactors can fail or answer calls; actions are recorded', async () => {
    const fake = new FakeClient();
    fake.prependReactor('create', 'pods', () => {
      throw new ApiError(500, 'InternalError', 'injected');
    });
    fake.prependReactor('get', '*', (a) => (a.name === 'magic' ? { metadata: { name: 'magic' } } : undefined));
    const pods = fake.resource<Pod>(RESOURCES.pods);
    expect((await errorOf(pods.create(newPod('a')))).message).toBe('injected');
    expect((await pods.get('default', 'magic')).metadata.name).toBe('magic');
    expect((await errorOf(pods.get('default', 'other'))).reason).toBe('NotFound');
    expect(fake.actions.map((a) => `${a.verb} ${a.resource} ${a.name ?? ''}`)).toEqual(['create pods a', 'get pods magic', 'get pods other']);
    expect(fake.stored(RESOURCES.pods, 'default', 'a')).toBeUndefined();
  });

  it('returned objects are copies', async () => {
    const fake = new FakeClient();
    const api = fake.resource<ConfigMap>(RESOURCES.configmaps);
    const c = await api.create(cm('x', { a: '1' }));
    c.data!.a = 'changed';
    expect((await api.get('default', 'x')).data).toEqual({ a: '1' });
  });
});

describe('FakeClient watch', () => {
  const collect = () => {
    const events: string[] = [];
    const on = (ev: WatchEvent<KubeObject>) => events.push(`${ev.type} ${ev.object.metadata.name ?? ev.object.metadata.resourceVersion}`);
    return { events, on };
  };

  it('without resourceVersion sends current objects as ADDED, then changes in order', async () => {
    const fake = new FakeClient();
    const api = fake.resource<ConfigMap>(RESOURCES.configmaps);
    await api.create(cm('a'));
    const { events, on } = collect();
    const h = api.watch(undefined, {}, on);
    await flushPromises();
    await api.create(cm('b'));
    await api.update({ ...(await api.get('default', 'b')), data: { x: '1' } });
    await api.delete('default', 'a');
    await flushPromises();
    expect(events).toEqual(['ADDED a', 'ADDED b', 'MODIFIED b', 'DELETED a']);
    h.stop();
    await h.done;
    expect(fake.watches.count()).toBe(0);
  });

  it('from a resourceVersion replays what happened after it', async () => {
    const fake = new FakeClient();
    const api = fake.resource<ConfigMap>(RESOURCES.configmaps);
    const a = await api.create(cm('a'));
    await api.create(cm('b'));
    const { events, on } = collect();
    api.watch(undefined, { resourceVersion: a.metadata.resourceVersion }, on);
    await flushPromises();
    expect(events).toEqual(['ADDED b']);
  });

  it('a label-selected watch sees an object that stops matching as DELETED', async () => {
    const fake = new FakeClient();
    const api = fake.resource<ConfigMap>(RESOURCES.configmaps);
    const { events, on } = collect();
    api.watch('default', { labelSelector: 'app=web' }, on);
    const c = await api.create(cm('a', {}, { app: 'web' }));
    await api.update({ ...c, metadata: { ...c.metadata, labels: { app: 'db' } } });
    await api.patch('default', 'a', { metadata: { labels: { app: 'web' } } });
    await flushPromises();
    expect(events).toEqual(['ADDED a', 'DELETED a', 'ADDED a']);
  });

  it('test controls: bookmark, ERROR 410, end, compaction', async () => {
    const fake = new FakeClient();
    const api = fake.resource<ConfigMap>(RESOURCES.configmaps);
    const c = await api.create(cm('a'));
    const { events, on } = collect();
    const h = api.watch(undefined, { resourceVersion: c.metadata.resourceVersion, allowWatchBookmarks: true }, on);
    fake.watches.sendBookmark();
    fake.watches.sendError(RESOURCES.configmaps);
    await h.done;
    expect(events).toEqual([`BOOKMARK ${c.metadata.resourceVersion}`, 'ERROR undefined']);
    const h2 = api.watch(undefined, { resourceVersion: c.metadata.resourceVersion }, on);
    fake.watches.endAll();
    await h2.done;
    await api.create(cm('b'));
    fake.watches.compact();
    const events3: WatchEvent<KubeObject>[] = [];
    await api.watch(undefined, { resourceVersion: c.metadata.resourceVersion }, (e) => events3.push(e)).done;
    expect(events3).toHaveLength(1);
    expect(events3[0]!.type).toBe('ERROR');
    expect(events3[0]!.object).toMatchObject({ code: 410, reason: 'Expired' });
  });

  it('a watch reactor that throws fails the watch', async () => {
    const fake = new FakeClient();
    fake.prependReactor('watch', 'configmaps', () => {
      throw new Error('no watch for you');
    });
    const h = fake.resource(RESOURCES.configmaps).watch(undefined, {}, () => undefined);
    await expect(h.done).rejects.toThrow('no watch for you');
  });
});
