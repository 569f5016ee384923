import { describe, expect, it } from 'vitest';
import { node, nodeInfo, pod } from '../testing/fixtures.js';
import { leastAllocated, leastAllocatedScore } from './least-allocated.js';

const GI = 1024 ** 3;

describe('leastAllocatedScore', () => {
  it.each([
    { name: 'empty node', alloc: { milliCpu: 4000, memory: 8 * GI }, req: { milliCpu: 0, memory: 0 }, score: 100 },
    { name: 'half cpu, no memory', alloc: { milliCpu: 4000, memory: 8 * GI }, req: { milliCpu: 2000, memory: 0 }, score: 75 },
    { name: 'half of both', alloc: { milliCpu: 4000, memory: 8 * GI }, req: { milliCpu: 2000, memory: 4 * GI }, score: 50 },
    { name: 'over-committed counts as full', alloc: { milliCpu: 1000, memory: GI }, req: { milliCpu: 2000, memory: GI }, score: 0 },
    { name: 'zero capacity scores zero', alloc: { milliCpu: 0, memory: 0 }, req: { milliCpu: 0, memory: 0 }, score: 0 },
  ])('$name', ({ alloc, req, score }) => {
    expect(leastAllocatedScore(alloc, req)).toBe(score);
  });
});

describe('NodeResourcesLeastAllocated', () => {
  it('prefers the emptier node, counting pods without requests as 100m/200Mi', () => {
    const plugin = leastAllocated();
    const p = pod('p');
    const empty = plugin.score!(p, nodeInfo(node('a', { cpu: '1', memory: '1000Mi' })));
    const busy = plugin.score!(p, nodeInfo(node('b', { cpu: '1', memory: '1000Mi' }), [pod('x'), pod('y')]));
    expect(empty).toBeCloseTo((90 + 80) / 2);
    expect(busy).toBeCloseTo((70 + 40) / 2);
  });
});
