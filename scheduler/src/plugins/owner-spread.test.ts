import { describe, expect, it } from 'vitest';
import { node, nodeInfo, pod } from '../testing/fixtures.js';
import { ownerSpread, siblingCount } from './owner-spread.js';

describe('OwnerSpread', () => {
  it.each([
    { name: 'no siblings', podOwner: 'rs1', existing: [], count: 0 },
    { name: 'two siblings', podOwner: 'rs1', existing: ['rs1', 'rs1', 'rs2'], count: 2 },
    { name: 'pods of other owners only', podOwner: 'rs1', existing: ['rs2', 'rs3'], count: 0 },
    { name: 'a pod without a controller has no siblings', podOwner: undefined, existing: ['rs1'], count: 0 },
  ])('$name', ({ podOwner, existing, count }) => {
    const info = nodeInfo(node('n1'), existing.map((o, i) => pod(`e${i}`, { owner: o })));
    expect(siblingCount(pod('p', { owner: podOwner }), info)).toBe(count);
  });

  it('scores nodes with fewer siblings higher', () => {
    const plugin = ownerSpread();
    const p = pod('p', { owner: 'rs1' });
    const infos = [
      nodeInfo(node('zero')),
      nodeInfo(node('one'), [pod('a', { owner: 'rs1' })]),
      nodeInfo(node('two'), [pod('b', { owner: 'rs1' }), pod('c', { owner: 'rs1' })]),
    ];
    const scores = Float64Array.from(infos.map((i) => plugin.score!(p, i)));
    plugin.normalizeScore!(p, scores);
    expect([...scores]).toEqual([100, 50, 0]);
    expect(plugin.skipScore!(p)).toBe(false);
    expect(plugin.skipScore!(pod('orphan'))).toBe(true);
  });
});
