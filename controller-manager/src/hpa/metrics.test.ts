import { describe, expect, it } from 'vitest';
import { newPod } from '@mk8s/shared/testing';
import { parseWindowMs, requestsByPod, sampleTimes, usageByPod, type PodMetrics } from './metrics.js';

const m = (name: string, containers: PodMetrics['containers'], timestamp?: string, window?: string): PodMetrics => ({ metadata: { name, namespace: 'default' }, containers, ...(timestamp ? { timestamp } : {}), ...(window ? { window } : {}) });

describe('pod metrics', () => {
  it('sums container usage per pod, in milli-units, skipping pods without the resource', () => {
    const items = [m('a', [{ name: 'x', usage: { cpu: '250m', memory: '1Mi' } }, { name: 'y', usage: { cpu: '0.5' } }]), m('b', [{ name: 'x', usage: { memory: '2Mi' } }])];
    expect(usageByPod(items, 'cpu')).toEqual(new Map([['a', 750]]));
    expect(usageByPod(items, 'memory')).toEqual(new Map([['a', 1048576000], ['b', 2097152000]]));
  });

  it('sums requests per pod and refuses pods with a container without one', () => {
    const p = newPod('a', { requests: { cpu: '200m' } });
    expect(requestsByPod([p], 'cpu')).toEqual(new Map([['a', 200]]));
    expect(() => requestsByPod([newPod('b')], 'cpu')).toThrow('missing request for cpu in container main of Pod b');
  });

  it.each([
    ['15s', 15_000],
    ['1m0s', 60_000],
    ['10.5s', 10_500],
    ['500ms', 500],
    [undefined, 0],
  ])('parseWindowMs(%s)', (w, want) => {
    expect(parseWindowMs(w)).toBe(want);
  });

  it('sampleTimes reads timestamp and window', () => {
    expect(sampleTimes([m('a', [], '2024-01-01T00:00:10Z', '15s'), m('b', [])])).toEqual(new Map([['a', { timestampMs: Date.parse('2024-01-01T00:00:10Z'), windowMs: 15_000 }]]));
  });
});
