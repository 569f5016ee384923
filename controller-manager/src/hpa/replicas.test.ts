import { describe, expect, it } from 'vitest';
import type { Pod } from '@mk8s/shared';
import { newPod } from '@mk8s/shared/testing';
import { groupPods, isCpuSampleUnready, resourceReplicas, type ResourceTarget } from './replicas.js';

const started = (p: Pod, at = '2024-01-01T00:00:00Z'): Pod => ({ ...p, status: { ...p.status, startTime: at } });
/** started at 00:00, Ready since 00:00 */
const running = (name: string) => started(newPod(name, { phase: 'Running', ready: true }));
/** started at 00:00, not Ready since 00:00: never been ready */
const unready = (name: string) => started(newPod(name, { phase: 'Running', ready: false }));
const pending = (name: string) => newPod(name, { phase: 'Pending' });
const names = (n: number, make = running) => Array.from({ length: n }, (_x, i) => make(`p${i}`));
const usage = (values: Record<string, number>) => new Map(Object.entries(values));
const requests = (pods: Pod[], milli = 1000) => new Map(pods.map((p) => [p.metadata.name!, milli]));

describe('groupPods', () => {
  it('sorts pods into ready, unready, missing and ignored', () => {
    const deleting = newPod('gone', { phase: 'Running', ready: true, deletionTimestamp: '2024-01-01T00:00:00Z' });
    const failed = newPod('failed', { phase: 'Failed' });
    const g = groupPods([running('a'), unready('b'), pending('c'), running('nometrics'), deleting, failed], usage({ a: 1, b: 1, c: 1, gone: 1 }), 'cpu');
    expect(g).toEqual({ readyPodCount: 1, unready: new Set(['b', 'c']), missing: new Set(['nometrics']), ignored: new Set(['gone', 'failed']) });
  });

  it('memory does not care about readiness', () => {
    expect(groupPods([unready('b')], usage({ b: 1 }), 'memory').readyPodCount).toBe(1);
  });
});

describe('isCpuSampleUnready', () => {
  const T = Date.parse('2024-01-01T00:00:00Z');
  const pod = (start: string | undefined, ready: boolean | undefined, transition = '2024-01-01T00:00:00Z'): Pod => {
    const p = newPod('p', { phase: 'Running', ...(ready !== undefined ? { ready } : {}) });
    if (start) p.status!.startTime = start;
    if (p.status?.conditions?.[0]) p.status.conditions[0].lastTransitionTime = transition;
    return p;
  };
  const sample = (atSec: number) => ({ timestampMs: T + atSec * 1000, windowMs: 15_000 });
  it.each<[string, Pod, ReturnType<typeof sample> | undefined, number, boolean]>([
    ['no Ready condition', pod('2024-01-01T00:00:00Z', undefined), undefined, T + 600_000, true],
    ['no startTime', pod(undefined, true), undefined, T + 600_000, true],
    ['young and not ready', pod('2024-01-01T00:00:00Z', false), sample(60), T + 60_000, true],
    ['young, ready, sample window began before it became ready', pod('2024-01-01T00:00:00Z', true, '2024-01-01T00:00:50Z'), sample(60), T + 60_000, true],
    ['young, ready, sample taken after a full window of readiness', pod('2024-01-01T00:00:00Z', true, '2024-01-01T00:00:10Z'), sample(60), T + 60_000, false],
    ['old and ready', pod('2024-01-01T00:00:00Z', true), sample(600), T + 600_000, false],
    ['old, not ready, never was (transition near start)', pod('2024-01-01T00:00:00Z', false, '2024-01-01T00:00:20Z'), sample(600), T + 600_000, true],
    ['old, not ready, was ready before (readiness lost later): its sample counts', pod('2024-01-01T00:00:00Z', false, '2024-01-01T00:08:00Z'), sample(600), T + 600_000, false],
  ])('%s', (_n, p, s, now, want) => {
    expect(isCpuSampleUnready(p, s, now)).toBe(want);
  });
});

describe('resourceReplicas', () => {
  const util = (u: number): ResourceTarget => ({ utilization: u });
  it.each<[string, number, Pod[], Record<string, number>, ResourceTarget, number, number | undefined]>([
    ['at target: no change', 2, names(2), { p0: 500, p1: 500 }, util(50), 2, 50],
    ['within 10% tolerance: no change', 2, names(2), { p0: 540, p1: 540 }, util(50), 2, 54],
    ['just outside tolerance: scale up', 2, names(2), { p0: 560, p1: 560 }, util(50), 3, 56],
    ['double the target: double the pods', 3, names(3), { p0: 1000, p1: 1000, p2: 1000 }, util(50), 6, 100],
    ['low usage: scale down', 4, names(4), { p0: 100, p1: 100, p2: 100, p3: 100 }, util(50), 1, 10],
    ['average value target', 2, names(2), { p0: 300, p1: 300 }, { averageValue: 100 }, 6, undefined],
    [
      'scale-up with a missing pod counts it as 0%',
      3,
      names(3),
      { p0: 1000, p1: 1000 },
      util(50),
      4, // (1000+1000+0)/3000 = 66% -> ratio 1.33 over 3 pods
      100,
    ],
    [
      'scale-down with a missing pod counts it as 100%',
      3,
      names(3),
      { p0: 100, p1: 100 },
      util(50),
      3, // (100+100+1000)/3000 = 40%: ratio 0.8 -> ceil(2.4) = 3 = current
      10,
    ],
    ['scale-up with an unready pod counts it as 0% (here: enough to stay)', 2, [running('p0'), unready('p1')], { p0: 600, p1: 2000 }, util(50), 2, 60],
    ['scale-up with an unready pod still scales when the ready ones are hot', 2, [running('p0'), unready('p1')], { p0: 2000, p1: 0 }, util(50), 4, 200],
  ])('%s', (_n, current, pods, m, target, want, wantUtil) => {
    const r = resourceReplicas({ currentReplicas: current, pods, metrics: usage(m), requests: requests(pods), resource: 'cpu', target });
    expect(r.replicas).toBe(want);
    expect(r.utilization).toBe(wantUtil);
  });

  it.each([
    ['no pods', [], {}, /no pods returned by selector/],
    ['no samples of ready pods', [unready('a')], { a: 100 }, /did not receive metrics for targeted pods/],
  ])('fails with %s', (_n, pods, m, err) => {
    expect(() => resourceReplicas({ currentReplicas: 1, pods, metrics: usage(m), requests: requests(pods), resource: 'cpu', target: util(50) })).toThrow(err);
  });
});
