import { describe, expect, it } from 'vitest';
import { node, nodeInfo, pod } from '../testing/fixtures.js';
import { matchesNodeSelectorAndAffinity, nodeAffinity, preferredWeight, REASON, type NodeAffinitySpec } from './node-affinity.js';

const required = (...terms: unknown[]): { nodeAffinity: NodeAffinitySpec } => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms as never } },
});

describe('NodeAffinity filter', () => {
  it.each<{ name: string; labels: Record<string, string>; nodeSelector?: Record<string, string>; affinity?: unknown; fits: boolean }>([
    { name: 'no selector, no affinity', labels: {}, fits: true },
    { name: 'nodeSelector matches', labels: { disk: 'ssd' }, nodeSelector: { disk: 'ssd' }, fits: true },
    { name: 'nodeSelector value differs', labels: { disk: 'hdd' }, nodeSelector: { disk: 'ssd' }, fits: false },
    { name: 'nodeSelector key missing', labels: {}, nodeSelector: { disk: 'ssd' }, fits: false },
    { name: 'nodeSelector needs all keys', labels: { disk: 'ssd' }, nodeSelector: { disk: 'ssd', zone: 'a' }, fits: false },
    { name: 'In matches', labels: { zone: 'a' }, affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }), fits: true },
    { name: 'In does not match', labels: { zone: 'c' }, affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }), fits: false },
    { name: 'NotIn with the key missing matches', labels: {}, affinity: required({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }), fits: true },
    { name: 'Exists', labels: { gpu: '' }, affinity: required({ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }), fits: true },
    { name: 'DoesNotExist', labels: { gpu: '' }, affinity: required({ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }), fits: false },
    { name: 'Gt', labels: { cores: '16' }, affinity: required({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }), fits: true },
    { name: 'Lt on a non-number', labels: { cores: 'many' }, affinity: required({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['8'] }] }), fits: false },
    {
      name: 'terms are ORed',
      labels: { zone: 'b' },
      affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }),
      fits: true,
    },
    {
      name: 'expressions in a term are ANDed',
      labels: { zone: 'a' },
      affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'Exists' }] }),
      fits: false,
    },
    { name: 'matchFields on metadata.name', labels: {}, affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }), fits: true },
    { name: 'an empty term matches nothing', labels: { zone: 'a' }, affinity: required({}), fits: false },
    { name: 'no terms matches nothing', labels: { zone: 'a' }, affinity: required(), fits: false },
    { name: 'nodeSelector and affinity must both match', labels: { zone: 'a' }, nodeSelector: { disk: 'ssd' }, affinity: required({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }), fits: false },
  ])('$name', ({ labels, nodeSelector, affinity, fits }) => {
    const p = pod('p', { nodeSelector, affinity });
    const n = node('n1', { labels });
    expect(matchesNodeSelectorAndAffinity(p, n)).toBe(fits);
    expect(nodeAffinity().filter!(p, nodeInfo(n))).toEqual(fits ? { code: 'Success', reasons: [] } : { code: 'UnschedulableAndUnresolvable', reasons: [REASON] });
  });
});

describe('NodeAffinity score', () => {
  it('sums the weights of matching preferred terms and normalizes to 100', () => {
    const p = pod('p', {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
            { weight: 30, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          ],
        },
      },
    });
    const nodes = [node('both', { labels: { zone: 'a', disk: 'ssd' } }), node('zone', { labels: { zone: 'a' } }), node('none')];
    expect(nodes.map((n) => preferredWeight(p, n))).toEqual([40, 10, 0]);
    const plugin = nodeAffinity();
    const scores = Float64Array.from(nodes.map((n) => plugin.score!(p, nodeInfo(n))));
    plugin.normalizeScore!(p, scores);
    expect([...scores]).toEqual([100, 25, 0]);
    expect(plugin.skipScore!(p)).toBe(false);
    expect(plugin.skipScore!(pod('plain'))).toBe(true);
  });
});
