import { describe, expect, it } from 'vitest';
import { podSchedulingPropertiesChanged, SchedulingQueue } from './scheduling-queue.js';
import { pod } from './testing/fixtures.js';

function newQueue() {
  const clock = { t: 1_000_000 };
  const q = new SchedulingQueue({ now: () => clock.t, flushIntervalMs: 0, initialBackoffMs: 1000, maxBackoffMs: 10_000, maxUnschedulableMs: 60_000 });
  return { q, clock };
}

const popNames = async (q: SchedulingQueue, n: number): Promise<string[]> => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await q.pop())!.pod.metadata.name!);
  return out;
};

describe('SchedulingQueue', () => {
  it('pops by priority, then arrival order', async () => {
    const { q, clock } = newQueue();
    q.add(pod('low1'));
    clock.t++;
    q.add(pod('high', { priority: 100 }));
    clock.t++;
    q.add(pod('low2'));
    expect(await popNames(q, 3)).toEqual(['high', 'low1', 'low2']);
  });

  it('keeps one entry per pod, with the newest object', async () => {
    const { q } = newQueue();
    q.add(pod('p'));
    q.add({ ...pod('p'), metadata: { ...pod('p').metadata, resourceVersion: '2' } });
    expect(q.counts().active).toBe(1);
    expect((await q.pop())!.pod.metadata.resourceVersion).toBe('2');
  });

  it('does not hand out a deleted pod', async () => {
    const { q } = newQueue();
    q.add(pod('gone'));
    q.add(pod('kept'));
    q.delete(pod('gone'));
    expect(await popNames(q, 1)).toEqual(['kept']);
  });

  it('wakes a waiting pop', async () => {
    const { q } = newQueue();
    const popped = q.pop();
    q.add(pod('p'));
    expect((await popped)!.key).toBe('default/p');
  });

  it('parks an unschedulable pod until a cluster event, then retries it after backoff', async () => {
    const { q, clock } = newQueue();
    q.add(pod('p'));
    const qp = (await q.pop())!;
    q.addUnschedulable(qp);
    expect(q.counts()).toMatchObject({ active: 0, unschedulable: 1 });
    clock.t += 59_000;
    q.flush();
    expect(q.counts()).toMatchObject({ active: 0, unschedulable: 1 });
    q.moveAllToActiveOrBackoff();
    expect(q.counts()).toMatchObject({ active: 1, unschedulable: 0 });
  });

  it('moves a pod to backoff, not active, when its backoff has not ended', async () => {
    const { q, clock } = newQueue();
    q.add(pod('p'));
    const first = (await q.pop())!;
    q.addUnschedulable(first);
    clock.t += 500; // backoff after one attempt is 1 s
    q.moveAllToActiveOrBackoff();
    expect(q.counts()).toMatchObject({ active: 0, backoff: 1 });
    clock.t += 500;
    q.flush();
    expect(q.counts()).toMatchObject({ active: 1, backoff: 0 });
    const second = (await q.pop())!;
    expect(second.attempts).toBe(2);
    q.addUnschedulable(second);
    clock.t += 1500;
    q.moveAllToActiveOrBackoff();
    expect(q.counts()).toMatchObject({ active: 0, backoff: 1 }); // 2 s after the 2nd attempt
    clock.t += 500;
    q.flush();
    expect(q.counts()).toMatchObject({ active: 1, backoff: 0 });
  });

  it('retries unschedulable pods after maxUnschedulableMs without any event', async () => {
    const { q, clock } = newQueue();
    q.add(pod('p'));
    q.addUnschedulable((await q.pop())!);
    clock.t += 60_000;
    q.flush();
    expect(q.counts()).toMatchObject({ active: 1, unschedulable: 0 });
  });

  it('sends a pod whose attempt overlapped a cluster event to backoff', async () => {
    const { q } = newQueue();
    q.add(pod('p'));
    const qp = (await q.pop())!;
    q.moveAllToActiveOrBackoff(); // e.g. a node was added while the pod was being decided
    q.addUnschedulable(qp);
    expect(q.counts()).toMatchObject({ backoff: 1, unschedulable: 0 });
  });

  it('moves an unschedulable pod back when its spec changes, not when its status does', async () => {
    const { q } = newQueue();
    const p = pod('p', { nodeSelector: { disk: 'ssd' } });
    q.add(p);
    q.addUnschedulable((await q.pop())!);
    q.add({ ...p, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] } });
    expect(q.counts()).toMatchObject({ unschedulable: 1 });
    q.add({ ...p, spec: { ...p.spec, nodeSelector: {} } });
    expect(q.counts().unschedulable).toBe(0);
  });

  it('retries errors with doubling backoff up to the cap', () => {
    const { q } = newQueue();
    expect([1, 2, 3, 4, 5, 10].map((n) => q.backoffDurationMs(n))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('ignores the end of an attempt for a pod deleted meanwhile', async () => {
    const { q } = newQueue();
    q.add(pod('p'));
    const qp = (await q.pop())!;
    q.delete(pod('p'));
    q.addBackoff(qp);
    expect(q.counts()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  });

  it('returns undefined from pop once closed', async () => {
    const { q } = newQueue();
    const waiting = q.pop();
    q.close();
    expect(await waiting).toBeUndefined();
    expect(await q.pop()).toBeUndefined();
  });
});

describe('podSchedulingPropertiesChanged', () => {
  const base = pod('p');
  it.each([
    { name: 'status only', next: { ...base, status: { phase: 'Pending' as const, message: 'x' } }, changed: false },
    { name: 'resourceVersion only', next: { ...base, metadata: { ...base.metadata, resourceVersion: '9' } }, changed: false },
    { name: 'tolerations', next: { ...base, spec: { ...base.spec, tolerations: [{ operator: 'Exists' as const }] } }, changed: true },
    { name: 'labels', next: { ...base, metadata: { ...base.metadata, labels: { a: 'b' } } }, changed: true },
  ])('$name', ({ next, changed }) => {
    expect(podSchedulingPropertiesChanged(base, next)).toBe(changed);
  });
});
