import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, newConflict, RESOURCES, silentLogger, type Pod } from '@mk8s/shared';
import { FakeClient } from '@mk8s/shared/testing';
import { SchedulerApp } from './app.js';
import { eventually, node, pod, RecordingEvents } from './testing/fixtures.js';

const apps: SchedulerApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
});

async function startApp(fake: FakeClient, events = new RecordingEvents(), extra: { maxInFlightBinds?: number } = {}) {
  const app = new SchedulerApp({
    client: fake,
    logger: silentLogger(),
    recorder: events,
    rng: () => 0.5,
    queue: { initialBackoffMs: 10, maxBackoffMs: 50, flushIntervalMs: 5 },
    ...extra,
  });
  apps.push(app);
  await app.start();
  void app.runScheduling();
  return { app, events };
}

const bindings = (fake: FakeClient) => fake.actions.filter((a) => a.verb === 'create' && a.subresource === 'binding');
const stored = (fake: FakeClient, name: string) => fake.stored<Pod>(RESOURCES.pods, 'default', name);
const boundNode = (fake: FakeClient, name: string) => stored(fake, name)?.spec.nodeName;

describe('Scheduler with FakeClient', () => {
  it('binds every pending pod through the binding subresource, spreading them', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('a'), node('b'), node('c')]);
    fake.seed(RESOURCES.pods, Array.from({ length: 6 }, (_, i) => pod(`p${i}`, { cpu: '500m' })));
    await startApp(fake);
    await eventually(() => [0, 1, 2, 3, 4, 5].every((i) => boundNode(fake, `p${i}`)), 'all pods bound');
    const perNode = new Map<string, number>();
    for (let i = 0; i < 6; i++) perNode.set(boundNode(fake, `p${i}`)!, (perNode.get(boundNode(fake, `p${i}`)!) ?? 0) + 1);
    expect(Object.fromEntries(perNode)).toEqual({ a: 2, b: 2, c: 2 });
    const b = bindings(fake);
    expect(b).toHaveLength(6);
    expect(b[0]).toMatchObject({
      resource: 'pods',
      namespace: 'default',
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node' } },
    });
  });

  it('counts a pod on its node as soon as it is decided (assume), before the informer sees the bind', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('only', { cpu: '1' })]);
    fake.seed(RESOURCES.pods, [pod('first', { cpu: '600m' }), pod('second', { cpu: '600m' })]);
    // hold every bind until both decisions are made
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    fake.prependReactor('create', 'pods', async (a) => {
      if (a.subresource === 'binding') await gate;
      return undefined;
    });
    const { events } = await startApp(fake);
    await eventually(() => events.events.length > 0, 'a FailedScheduling event');
    release();
    await eventually(() => bindings(fake).length === 1 && [boundNode(fake, 'first'), boundNode(fake, 'second')].filter(Boolean).length === 1, 'one pod bound');
    const loser = boundNode(fake, 'first') ? 'second' : 'first';
    expect(events.of(loser, 'FailedScheduling')[0]?.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
  });

  it('leaves a pod that fits nowhere Pending with an event and condition, then binds it when a node with room registers', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('small-1', { cpu: '2' }), node('small-2', { cpu: '2', labels: { disk: 'hdd' } })]);
    fake.seed(RESOURCES.pods, [pod('big', { cpu: '8' })]);
    const { events } = await startApp(fake);
    await eventually(() => stored(fake, 'big')?.status?.conditions?.some((c) => c.type === 'PodScheduled'), 'PodScheduled condition');
    expect(stored(fake, 'big')!.status!.conditions!.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message: '0/2 nodes are available: 2 Insufficient cpu.',
    });
    expect(events.of('big', 'FailedScheduling')[0]).toMatchObject({ type: 'Warning', message: '0/2 nodes are available: 2 Insufficient cpu.' });
    expect(boundNode(fake, 'big')).toBeUndefined();
    await fake.resource(RESOURCES.nodes).create(node('large', { cpu: '16' }));
    await eventually(() => boundNode(fake, 'big'), 'big bound');
    expect(boundNode(fake, 'big')).toBe('large');
    expect(events.of('big', 'Scheduled')[0]?.message).toBe('Successfully assigned default/big to large');
  });

  it('frees room when a bound pod is deleted and retries the waiting pod', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('n', { cpu: '1' })]);
    fake.seed(RESOURCES.pods, [pod('holder', { cpu: '1', nodeName: 'n' }), pod('waiter', { cpu: '1' })]);
    const { events } = await startApp(fake);
    await eventually(() => events.of('waiter', 'FailedScheduling').length > 0, 'waiter unschedulable');
    await fake.resource(RESOURCES.pods).delete('default', 'holder', { gracePeriodSeconds: 0 });
    await eventually(() => boundNode(fake, 'waiter') === 'n', 'waiter bound');
  });

  it('frees room when a bound pod finishes (Succeeded)', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('n', { cpu: '1' })]);
    fake.seed(RESOURCES.pods, [pod('job', { cpu: '1', nodeName: 'n', phase: 'Running' }), pod('waiter', { cpu: '1' })]);
    const { events } = await startApp(fake);
    await eventually(() => events.of('waiter', 'FailedScheduling').length > 0, 'waiter unschedulable');
    await fake.resource<Pod>(RESOURCES.pods).patch('default', 'job', { status: { phase: 'Succeeded' } }, 'merge', { subresource: 'status' });
    await eventually(() => boundNode(fake, 'waiter') === 'n', 'waiter bound');
  });

  it('moves an unschedulable pod back when it gains a toleration', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('tainted', { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] })]);
    fake.seed(RESOURCES.pods, [pod('p')]);
    const { events } = await startApp(fake);
    await eventually(() => events.of('p', 'FailedScheduling').length > 0, 'p unschedulable');
    expect(events.of('p', 'FailedScheduling')[0]!.message).toBe('0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: }.');
    const current = stored(fake, 'p')!;
    await fake.resource<Pod>(RESOURCES.pods).update({ ...current, spec: { ...current.spec, tolerations: [{ key: 'dedicated', operator: 'Exists' }] } });
    await eventually(() => boundNode(fake, 'p') === 'tainted', 'p bound');
  });

  it('respects nodeSelector and taints', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [
      node('plain'),
      node('ssd', { labels: { disk: 'ssd' } }),
      node('gpu', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }),
    ]);
    fake.seed(RESOURCES.pods, [
      pod('wants-ssd', { nodeSelector: { disk: 'ssd' } }),
      pod('gpu-job', { nodeSelector: { 'kubernetes.io/hostname': 'gpu' }, tolerations: [{ key: 'gpu', operator: 'Exists' }] }),
      ...Array.from({ length: 6 }, (_, i) => pod(`plain${i}`)),
    ]);
    await startApp(fake);
    await eventually(() => boundNode(fake, 'wants-ssd') && boundNode(fake, 'gpu-job') && [0, 1, 2, 3, 4, 5].every((i) => boundNode(fake, `plain${i}`)), 'all bound');
    expect(boundNode(fake, 'wants-ssd')).toBe('ssd');
    expect(boundNode(fake, 'gpu-job')).toBe('gpu');
    for (let i = 0; i < 6; i++) expect(boundNode(fake, `plain${i}`)).not.toBe('gpu');
  });

  it('drops a pod whose bind is refused with 409 (already bound elsewhere)', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('a')]);
    fake.seed(RESOURCES.pods, [pod('raced')]);
    fake.prependReactor('create', 'pods', (a) => {
      if (a.subresource === 'binding') throw newConflict('pods', '', 'raced', 'pod raced is already assigned to node "x"');
      return undefined;
    });
    const { app } = await startApp(fake);
    await eventually(() => bindings(fake).length === 1, 'one bind attempt');
    await app.scheduler.waitForBinds();
    expect(app.scheduler.queue.counts()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
    expect(app.scheduler.cache.nodeOf(pod('raced'))).toBeUndefined();
    expect(bindings(fake)).toHaveLength(1);
  });

  it('forgets the assumption and retries after a failed bind', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('a')]);
    fake.seed(RESOURCES.pods, [pod('flaky')]);
    let failures = 2;
    fake.prependReactor('create', 'pods', (a) => {
      if (a.subresource === 'binding' && failures-- > 0) throw new ApiError(500, 'InternalError', 'etcd hiccup');
      return undefined;
    });
    const { events } = await startApp(fake);
    await eventually(() => boundNode(fake, 'flaky') === 'a', 'flaky bound');
    expect(bindings(fake)).toHaveLength(3);
    expect(events.of('flaky', 'FailedScheduling').map((e) => e.message)).toEqual(['Binding rejected: etcd hiccup', 'Binding rejected: etcd hiccup']);
  });

  it('ignores pods for other schedulers and pods already bound', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('a')]);
    fake.seed(RESOURCES.pods, [pod('other', { schedulerName: 'my-scheduler' }), pod('bound', { nodeName: 'a' }), pod('mine')]);
    const { app } = await startApp(fake);
    await eventually(() => boundNode(fake, 'mine'), 'mine bound');
    await app.scheduler.waitForBinds();
    expect(bindings(fake).map((b) => b.name)).toEqual(['mine']);
    expect(app.scheduler.cache.getNode('a')!.pods.size).toBe(2);
  });

  it('runs binds concurrently up to the limit while deciding one pod at a time', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, Array.from({ length: 10 }, (_, i) => node(`n${i}`)));
    fake.seed(RESOURCES.pods, Array.from({ length: 40 }, (_, i) => pod(`p${i}`)));
    let inFlight = 0;
    let maxInFlight = 0;
    fake.prependReactor('create', 'pods', async (a) => {
      if (a.subresource !== 'binding') return undefined;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return undefined;
    });
    await startApp(fake, new RecordingEvents(), { maxInFlightBinds: 4 });
    await eventually(() => Array.from({ length: 40 }, (_, i) => boundNode(fake, `p${i}`)).every(Boolean), 'all bound');
    expect(maxInFlight).toBe(4);
    expect(bindings(fake)).toHaveLength(40);
  });
});

describe('PodScheduled condition', () => {
  it('retries the status patch once against the latest pod after a conflict', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.nodes, [node('small', { cpu: '1' })]);
    fake.seed(RESOURCES.pods, [pod('big', { cpu: '4' })]);
    let conflicts = 1;
    fake.prependReactor('patch', 'pods', (a) => {
      if (a.subresource === 'status' && conflicts-- > 0) throw newConflict('pods', '', 'big', 'the object has been modified');
      return undefined;
    });
    await startApp(fake);
    await eventually(() => stored(fake, 'big')?.status?.conditions?.some((c) => c.type === 'PodScheduled'), 'condition set');
    expect(fake.actions.filter((a) => a.verb === 'patch' && a.subresource === 'status')).toHaveLength(2);
    expect(stored(fake, 'big')!.status!.conditions!.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
  });
});
