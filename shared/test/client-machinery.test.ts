/**
 * The client machinery (informer, leader election, event recorder) against a real apiserver
 * over etcd: the same code paths components use in production, through RestClient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventRecorder,
  Informer,
  LeaderElector,
  RESOURCES,
  isNotFound,
  keyOf,
  type ConfigMap,
  type Event,
  type Lease,
} from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';

let cp: TestControlPlane;

beforeAll(async () => {
  cp = await startControlPlane();
});

afterAll(async () => {
  await cp?.stop();
});

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { suite: 'machinery' } }, data });

describe('client machinery against a real apiserver', () => {
  it('informer lists, follows changes, and recovers across an apiserver restart', async () => {
    const api = cp.client.resource<ConfigMap>(RESOURCES.configmaps);
    await api.create(cm('before'));
    const informer = new Informer<ConfigMap>(api, { namespace: 'default', labelSelector: 'suite=machinery', backoff: { initialMs: 100, maxMs: 1000 } });
    const log: string[] = [];
    informer.addHandlers({
      onAdd: (o) => log.push(`add ${keyOf(o)}`),
      onUpdate: (a, b) => a.metadata.resourceVersion !== b.metadata.resourceVersion && log.push(`update ${keyOf(b)} ${JSON.stringify(b.data ?? {})}`),
      onDelete: (o) => log.push(`delete ${keyOf(o)}`),
    });
    informer.start();
    await informer.waitForSync();
    expect(log).toEqual(['add default/before']);
    expect(informer.get('default', 'before')?.kind).toBe('ConfigMap');

    await api.create(cm('x'));
    await api.patch('default', 'x', { data: { a: '1' } });
    await api.delete('default', 'before');
    await waitFor(() => log.length >= 4, { timeoutMs: 10_000, message: () => `events: ${log.join(', ')}` });
    expect(log).toEqual(['add default/before', 'add default/x', 'update default/x {"a":"1"}', 'delete default/before']);

    await cp.restartApiserver();
    await api.create(cm('after-restart'));
    await api.delete('default', 'x');
    await waitFor(() => informer.get('default', 'after-restart') !== undefined && informer.get('default', 'x') === undefined, {
      timeoutMs: 20_000,
      message: () => `events: ${log.join(', ')}`,
    });
    expect(informer.list().map(keyOf).sort()).toEqual(['default/after-restart']);
    await informer.stop();
  });

  it('leader election: one leader, and a standby takes over when it stops', async () => {
    const started: string[] = [];
    const stoppedLeading: string[] = [];
    const mk = (identity: string) =>
      new LeaderElector({
        client: cp.client,
        name: 'machinery-test',
        identity,
        leaseDurationMs: 3000,
        renewDeadlineMs: 2000,
        retryPeriodMs: 300,
        onStartedLeading: () => void started.push(identity),
        onStoppedLeading: () => void stoppedLeading.push(identity),
      });
    const a = mk('a');
    const b = mk('b');
    void a.run();
    await waitFor(() => a.isLeader(), { timeoutMs: 10_000, message: 'a never led' });
    void b.run();
    await waitFor(() => b.getLeader() === 'a', { timeoutMs: 10_000, message: 'b never saw a' });
    expect(b.isLeader()).toBe(false);
    const lease = await cp.client.resource<Lease>(RESOURCES.leases).get('kube-system', 'machinery-test');
    expect(lease.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 3 });
    await a.stop();
    await waitFor(() => b.isLeader(), { timeoutMs: 10_000, message: 'b never took over' });
    expect(started).toEqual(['a', 'b']);
    expect(stoppedLeading).toEqual(['a']);
    await b.stop();
    const released = await cp.client.resource<Lease>(RESOURCES.leases).get('kube-system', 'machinery-test');
    expect(released.spec.holderIdentity ?? '').toBe('');
  });

  it('event recorder creates events and folds repeats with a merge patch', async () => {
    const api = cp.client.resource<ConfigMap>(RESOURCES.configmaps);
    const obj = await api.create(cm('evented'));
    const rec = new EventRecorder({ client: cp.client, component: 'machinery-test', host: 'h1' });
    rec.event(obj, 'Normal', 'Tested', 'first');
    rec.event(obj, 'Normal', 'Tested', 'first');
    rec.event(obj, 'Warning', 'Tested', 'second');
    await rec.flush();
    const events = await cp.client.resource<Event>(RESOURCES.events).list('default', {
      fieldSelector: `involvedObject.name=evented,involvedObject.namespace=default,involvedObject.uid=${obj.metadata.uid ?? ''}`,
    });
    const summary = events.items.map((e) => `${e.type} ${e.reason} ${e.message} x${e.count}`).sort();
    expect(summary).toEqual(['Normal Tested first x2', 'Warning Tested second x1']);
    expect(events.items[0]!.source).toEqual({ component: 'machinery-test', host: 'h1' });
    await api.delete('default', 'evented').catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  });
});
