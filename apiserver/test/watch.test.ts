/**
 * Watch semantics against a real etcd and apiserver: initial ADDED events, resuming from a
 * resourceVersion, selector transitions delivered as ADDED/DELETED, bookmarks, timeouts,
 * and 410 Expired after compaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type ConfigMap, type Status, type WatchEvent } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane({ apiserverArgs: ['--etcd-compaction-interval', '1', '--watch-bookmark-interval', '1'] });
});
afterAll(async () => {
  await cp?.stop();
});

const cms = () => cp.client.resource<ConfigMap>(RESOURCES.configmaps);

/** Collects events of a watch until stopped. */
function collect(ns: string, opts: Parameters<ReturnType<typeof cms>['watch']>[1]) {
  const events: WatchEvent<ConfigMap>[] = [];
  const handle = cms().watch(ns, opts, (ev) => events.push(ev));
  return { events, handle, names: (type?: string) => events.filter((e) => !type || e.type === type).map((e) => e.object.metadata.name) };
}

describe('watch', () => {
  it('starts with the current objects as ADDED when no resourceVersion is given', async () => {
    await cp.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'w1' } } });
    await cms().create({ metadata: { name: 'a', namespace: 'w1' } });
    await cms().create({ metadata: { name: 'b', namespace: 'w1' } });
    const w = collect('w1', {});
    await waitFor(() => w.events.length >= 2);
    expect(w.names('ADDED').sort()).toEqual(['a', 'b']);
    await cms().create({ metadata: { name: 'c', namespace: 'w1' } });
    await waitFor(() => w.names().includes('c'));
    w.handle.stop();
  });

  it('resumes from a resourceVersion: only later changes, in order', async () => {
    await cp.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'w2' } } });
    const first = await cms().create({ metadata: { name: 'x', namespace: 'w2' }, data: { v: '1' } });
    await cms().update({ ...first, data: { v: '2' } });
    await cms().create({ metadata: { name: 'y', namespace: 'w2' } });
    await cms().delete('w2', 'x');
    const w = collect('w2', { resourceVersion: first.metadata.resourceVersion });
    await waitFor(() => w.events.length >= 3);
    expect(w.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(['MODIFIED:x', 'ADDED:y', 'DELETED:x']);
    const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    w.handle.stop();
  });

  it('delivers an object that stops matching the label selector as DELETED', async () => {
    await cp.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'w3' } } });
    const w = collect('w3', { labelSelector: 'tier in (front),!legacy' });
    const obj = await cms().create({ metadata: { name: 'sel', namespace: 'w3', labels: { tier: 'front' } } });
    await cms().create({ metadata: { name: 'other', namespace: 'w3', labels: { tier: 'back' } } });
    await cms().patch('w3', 'sel', { metadata: { labels: { tier: 'back' } } });
    await cms().patch('w3', 'sel', { metadata: { labels: { tier: 'front' } } });
    await cms().patch('w3', 'sel', { metadata: { labels: { legacy: 'true' } } });
    await waitFor(() => w.events.length >= 4);
    expect(w.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(['ADDED:sel', 'DELETED:sel', 'ADDED:sel', 'DELETED:sel']);
    expect(obj.metadata.name).toBe('sel');
    w.handle.stop();
  });

  it('filters by field selector metadata.name, as kubectl delete --wait does', async () => {
    await cp.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'w4' } } });
    const w = collect('w4', { fieldSelector: 'metadata.name=target' });
    await cms().create({ metadata: { name: 'decoy', namespace: 'w4' } });
    await cms().create({ metadata: { name: 'target', namespace: 'w4' } });
    await cms().delete('w4', 'target');
    await waitFor(() => w.events.length >= 2);
    expect(w.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(['ADDED:target', 'DELETED:target']);
    w.handle.stop();
  });

  it('sends bookmarks when asked and ends at timeoutSeconds', async () => {
    const list = await cms().list('default');
    const events: WatchEvent<ConfigMap>[] = [];
    const started = Date.now();
    const h = cms().watch('default', { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 3 }, (ev) => events.push(ev));
    await h.done;
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThan(0);
    expect(Number(bookmarks[0]!.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(list.metadata.resourceVersion));
  });

  it('ends with an in-stream 410 Expired for a resourceVersion from before compaction', async () => {
    const old = await cms().create({ metadata: { name: 'old', namespace: 'default' } });
    for (let i = 0; i < 5; i++) await cms().create({ metadata: { name: `churn-${i}`, namespace: 'default' } });
    // The apiserver compacts every second to the revision of the previous tick.
    await new Promise((r) => setTimeout(r, 3500));
    const events: WatchEvent<ConfigMap | Status>[] = [];
    const h = cp.client.resource<ConfigMap | Status>(RESOURCES.configmaps).watch('default', { resourceVersion: old.metadata.resourceVersion }, (ev) => events.push(ev));
    await h.done;
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('ERROR');
    const status = events[0]!.object as Status;
    expect(status.code).toBe(410);
    expect(status.reason).toBe('Expired');
    // the watch etcd canceled is not canceled again, which crashed the apiserver
    // (the etcd3 client threw from its stream handler); it keeps serving
    await new Promise((r) => setTimeout(r, 1000));
    expect(cp.apiserver.child.exitCode).toBeNull();
    expect((await cms().get('default', 'old')).metadata.name).toBe('old');
  });
});
