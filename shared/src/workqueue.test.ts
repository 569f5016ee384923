import { describe, it, expect } from 'vitest';
import { silentLogger } from './log.js';
import { FakeClock, flushPromises } from './testing/fake-clock.js';
import { processNextWorkItem, runWorkers, WorkQueue } from './workqueue.js';
import { keyFor, keyOf, splitKey } from './keys.js';
import { Backoff, exponentialDelay } from './backoff.js';
import { Registry } from 'prom-client';
import { workQueueMetrics } from './workqueue-metrics.js';

const newQueue = (clock = new FakeClock()) => ({ clock, q: new WorkQueue<string>({ clock }) });

/** Takes everything currently available without waiting. */
async function drain(q: WorkQueue<string>): Promise<string[]> {
  const out: string[] = [];
  while (q.len() > 0) out.push((await q.get())!);
  return out;
}

describe('WorkQueue basics', () => {
  it.each([
    ['duplicates collapse', ['a', 'b', 'a', 'a'], ['a', 'b']],
    ['order is FIFO', ['c', 'b', 'a'], ['c', 'b', 'a']],
    ['empty', [], []],
  ])('%s', async (_name, adds, want) => {
    const { q } = newQueue();
    for (const k of adds) q.add(k);
    expect(q.len()).toBe(want.length);
    expect(await drain(q)).toEqual(want);
  });

  it('never hands out a key being processed; re-add during processing runs after done', async () => {
    const { q } = newQueue();
    q.add('a');
    const first = await q.get();
    expect(first).toBe('a');
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await flushPromises();
    expect(second).toBeUndefined();
    q.done('a');
    await flushPromises();
    expect(second).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('done without re-add does not requeue', async () => {
    const { q } = newQueue();
    q.add('a');
    await q.get();
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('a waiting get wakes on add', async () => {
    const { q } = newQueue();
    const p = q.get();
    q.add('x');
    expect(await p).toBe('x');
  });

  it('several waiting getters each get a different key', async () => {
    const { q } = newQueue();
    const ps = [q.get(), q.get()];
    q.add('a');
    q.add('b');
    expect(await Promise.all(ps)).toEqual(['a', 'b']);
  });

  it('shutDown makes later gets resolve undefined and ignores adds', async () => {
    const { q } = newQueue();
    const p = q.get();
    q.add('late-a');
    await p;
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add('c');
    expect(q.shuttingDown()).toBe(true);
    expect(await q.get()).toBeUndefined();
    expect(q.len()).toBe(0);
  });
});

describe('WorkQueue delays with a fake clock', () => {
  it('addAfter adds once the time has passed', async () => {
    const { q, clock } = newQueue();
    q.addAfter('a', 100);
    expect(q.len()).toBe(0);
    expect(q.delayedLen()).toBe(1);
    await clock.advance(99);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
    expect(q.delayedLen()).toBe(0);
  });

  it.each([
    ['earlier second add wins', 100, 50, 50],
    ['later second add ignored', 50, 100, 50],
  ])('%s', async (_name, first, second, firesAt) => {
    const { q, clock } = newQueue();
    q.addAfter('a', first);
    q.addAfter('a', second);
    await clock.advance(firesAt - 1);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
    await clock.advance(200);
    expect(q.len()).toBe(1);
  });

  it('addAfter with zero delay adds at once', () => {
    const { q } = newQueue();
    q.addAfter('a', 0);
    expect(q.len()).toBe(1);
  });

  it('shutDown cancels delayed adds', async () => {
    const { q, clock } = newQueue();
    q.addAfter('a', 10);
    q.shutDown();
    expect(clock.pending()).toBe(0);
    await clock.advance(20);
    expect(q.len()).toBe(0);
  });

  it('addRateLimited backs off per key exponentially until forget', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock, baseDelayMs: 10, maxDelayMs: 50 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = clock.now();
      q.addRateLimited('a');
      while (q.len() === 0) await clock.advance(1);
      delays.push(clock.now() - start);
      await q.get();
      q.done('a');
    }
    expect(delays).toEqual([10, 20, 40, 50, 50]);
    expect(q.numRequeues('a')).toBe(5);
    expect(q.numRequeues('b')).toBe(0);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
    q.addRateLimited('a');
    await clock.advance(10);
    expect(q.len()).toBe(1);
  });

  it('default limiter starts at 5 ms', async () => {
    const { q, clock } = newQueue();
    q.addRateLimited('a');
    await clock.advance(4);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
  });
});

describe('workers', () => {
  it('processNextWorkItem forgets on success and requeues with backoff on failure', async () => {
    const { q, clock } = newQueue();
    const log = silentLogger();
    let fail = true;
    const seen: string[] = [];
    const process = async (k: string) => {
      seen.push(k);
      if (fail) throw new Error('boom');
    };
    q.add('a');
    expect(await processNextWorkItem(q, process, log)).toBe(true);
    expect(q.numRequeues('a')).toBe(1);
    expect(q.len()).toBe(0);
    await clock.advance(5);
    fail = false;
    expect(await processNextWorkItem(q, process, log)).toBe(true);
    expect(q.numRequeues('a')).toBe(0);
    expect(seen).toEqual(['a', 'a']);
    q.shutDown();
    expect(await processNextWorkItem(q, process, log)).toBe(false);
  });

  it('maxRetries drops a key after that many requeues', async () => {
    const { q, clock } = newQueue();
    const process = async () => {
      throw new Error('boom');
    };
    q.add('a');
    const requeues: number[] = [];
    for (let i = 0; i < 3; i++) {
      await processNextWorkItem(q, process, silentLogger(), { maxRetries: 2 });
      requeues.push(q.numRequeues('a'));
      await clock.advance(1000);
    }
    expect(requeues).toEqual([1, 2, 0]);
    expect(q.len()).toBe(0);
    expect(q.delayedLen()).toBe(0);
  });

  it('runWorkers never processes one key concurrently and ends on shutDown', async () => {
    const { q } = newQueue();
    const active = new Set<string>();
    let overlap = false;
    let count = 0;
    const process = async (k: string) => {
      if (active.has(k)) overlap = true;
      active.add(k);
      count++;
      await flushPromises();
      if (count < 6) q.add(k);
      active.delete(k);
    };
    const done = runWorkers(q, 3, process, silentLogger());
    q.add('a');
    q.add('b');
    for (let i = 0; i < 10; i++) await flushPromises();
    q.shutDown();
    await done;
    expect(overlap).toBe(false);
    expect(count).toBeGreaterThanOrEqual(6);
  });
});

describe('keys', () => {
  it.each([
    [{ metadata: { namespace: 'ns', name: 'a' } }, 'ns/a'],
    [{ metadata: { name: 'node1' } }, 'node1'],
  ])('keyOf(%j) = %s', (obj, key) => {
    expect(keyOf(obj)).toBe(key);
    const { namespace, name } = splitKey(key);
    expect(keyFor(namespace, name)).toBe(key);
  });
  it.each([
    ['ns/a', { namespace: 'ns', name: 'a' }],
    ['a', { name: 'a' }],
    ['/a', { name: 'a' }],
  ])('splitKey(%s)', (key, want) => {
    expect(splitKey(key)).toEqual(want);
  });
  it('rejects a key with two slashes', () => {
    expect(() => splitKey('a/b/c')).toThrow('unexpected key format');
  });
});

describe('backoff', () => {
  it.each([
    [0, 0],
    [1, 100],
    [2, 200],
    [3, 400],
    [5, 1000],
    [2000, 1000],
  ])('exponentialDelay(100, 1000, %i) = %i', (n, want) => {
    expect(exponentialDelay(100, 1000, n)).toBe(want);
  });
  it('Backoff grows, caps and resets', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 300 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 300, 300]);
    b.reset();
    expect(b.next()).toBe(100);
    expect(b.attempts).toBe(1);
  });
  it('jitter only lengthens', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0.5 });
    expect(b.next()).toBe(125);
  });
});

describe('workqueue metrics', () => {
  it('counts adds (not collapsed duplicates) and retries, tracks depth and work duration per queue name', async () => {
    const registry = new Registry();
    const metrics = workQueueMetrics(registry);
    expect(workQueueMetrics(registry)).toBe(metrics);
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock, name: 'replicaset', metrics });
    q.add('a');
    q.add('a');
    q.add('b');
    const k = (await q.get())!;
    await clock.advance(250);
    q.done(k);
    q.addRateLimited('c');
    const text = await registry.metrics();
    expect(text).toContain('workqueue_adds_total{name="replicaset"} 2');
    expect(text).toContain('workqueue_depth{name="replicaset"} 1');
    expect(text).toContain('workqueue_retries_total{name="replicaset"} 1');
    expect(text).toContain('workqueue_work_duration_seconds_sum{name="replicaset"} 0.25');
  });
});
