import { describe, expect, it } from 'vitest';
import type { Taint } from '@mk8s/shared';
import { Framework, fitErrorMessage, NO_NODES_MESSAGE, numFeasibleNodesToFind } from './framework.js';
import { buildPlugins } from './registry.js';
import { node, nodeInfo, pod } from './testing/fixtures.js';
import type { Plugin } from './types.js';

const framework = (rng: () => number = () => 0.5, percentage = 0): Framework =>
  new Framework({ plugins: buildPlugins(), rng, percentageOfNodesToScore: percentage });

describe('numFeasibleNodesToFind', () => {
  it.each([
    { nodes: 10, pct: 0, want: 10 },
    { nodes: 99, pct: 0, want: 99 },
    { nodes: 1000, pct: 0, want: 420 },
    { nodes: 5000, pct: 0, want: 500 },
    { nodes: 200, pct: 0, want: 100 },
    { nodes: 1000, pct: 100, want: 1000 },
    { nodes: 1000, pct: 30, want: 300 },
  ])('$nodes nodes at $pct% -> $want', ({ nodes, pct, want }) => {
    expect(numFeasibleNodesToFind(nodes, pct)).toBe(want);
  });
});

describe('fitErrorMessage', () => {
  it.each([
    { name: 'no nodes', n: 0, reasons: [], want: NO_NODES_MESSAGE },
    { name: 'one reason', n: 1, reasons: [['Insufficient cpu', 1]], want: '0/1 nodes are available: 1 Insufficient cpu.' },
    {
      name: 'reasons sorted as strings',
      n: 3,
      reasons: [["node(s) didn't match Pod's node affinity/selector", 2], ['Insufficient cpu', 1]],
      want: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.",
    },
  ] as const)('$name', ({ n, reasons, want }) => {
    expect(fitErrorMessage(n, new Map(reasons as unknown as [string, number][]))).toBe(want);
  });
});

describe('Framework.schedulePod', () => {
  it('reports every node reason when nothing fits', () => {
    const nodes = [
      nodeInfo(node('small', { cpu: '1' })),
      nodeInfo(node('ssd-less-1', { cpu: '8' })),
      nodeInfo(node('tainted', { cpu: '8', labels: { disk: 'ssd' }, taints: [{ key: 'gpu', effect: 'NoSchedule' }] })),
      nodeInfo(node('cordoned', { cpu: '8', labels: { disk: 'ssd' }, unschedulable: true })),
    ];
    const res = framework().schedulePod(pod('p', { cpu: '2', nodeSelector: { disk: 'ssd' } }), nodes);
    expect(res).toEqual({
      kind: 'unschedulable',
      message:
        "0/4 nodes are available: 1 node(s) had untolerated taint {gpu: }, 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector.",
      reasons: expect.any(Map),
    });
  });

  it('says so when there are no nodes', () => {
    expect(framework().schedulePod(pod('p'), [])).toMatchObject({ kind: 'unschedulable', message: NO_NODES_MESSAGE });
  });

  it('counts resource shortfalls per resource', () => {
    const nodes = [nodeInfo(node('a', { cpu: '1', memory: '1Gi' })), nodeInfo(node('b', { cpu: '4', memory: '1Gi' }))];
    const res = framework().schedulePod(pod('p', { cpu: '2', memory: '2Gi' }), nodes);
    expect(res).toMatchObject({ kind: 'unschedulable', message: '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.' });
  });

  it('picks the only feasible node', () => {
    const nodes = [nodeInfo(node('a', { cpu: '1' })), nodeInfo(node('b', { cpu: '4' })), nodeInfo(node('c', { ready: 'False', cpu: '8' }))];
    expect(framework().schedulePod(pod('p', { cpu: '2' }), nodes)).toMatchObject({ kind: 'scheduled', node: 'b', feasible: 1 });
  });

  it('picks the least allocated node', () => {
    const nodes = [nodeInfo(node('busy'), [pod('x', { cpu: '3' })]), nodeInfo(node('idle')), nodeInfo(node('half'), [pod('y', { cpu: '2' })])];
    expect(framework().schedulePod(pod('p', { cpu: '100m' }), nodes)).toMatchObject({ kind: 'scheduled', node: 'idle' });
  });

  it('spreads the pods of one owner', () => {
    const nodes = [nodeInfo(node('a'), [pod('s1', { owner: 'rs' })]), nodeInfo(node('b'), [pod('o1', { owner: 'other' })])];
    expect(framework().schedulePod(pod('p', { owner: 'rs' }), nodes)).toMatchObject({ kind: 'scheduled', node: 'b' });
  });

  it('avoids PreferNoSchedule taints when another node is as good', () => {
    const prefer: Taint = { key: 'spot', effect: 'PreferNoSchedule' };
    const nodes = [nodeInfo(node('spot', { taints: [prefer] })), nodeInfo(node('plain'))];
    expect(framework().schedulePod(pod('p'), nodes)).toMatchObject({ kind: 'scheduled', node: 'plain' });
  });

  it.each([
    { rng: 0.0, want: 'c' },
    { rng: 0.99, want: 'a' },
  ])('breaks ties with the rng ($rng -> $want)', ({ rng, want }) => {
    const nodes = ['a', 'b', 'c'].map((n) => nodeInfo(node(n)));
    expect(framework(() => rng).schedulePod(pod('p'), nodes)).toMatchObject({ kind: 'scheduled', node: want });
  });

  it('stops after enough feasible nodes in a big cluster and rotates the start', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => nodeInfo(node(`n${i}`)));
    const fw = framework();
    const first = fw.schedulePod(pod('p'), nodes);
    expect(first).toMatchObject({ kind: 'scheduled', evaluated: 420, feasible: 420 });
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = fw.schedulePod(pod(`p${i}`), nodes);
      if (r.kind === 'scheduled') seen.add(r.node);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('turns a plugin error into an error result', () => {
    const broken: Plugin = {
      name: 'Broken',
      filter: () => {
        throw new Error('boom');
      },
    };
    const fw = new Framework({ plugins: [{ plugin: broken, weight: 1 }] });
    expect(fw.schedulePod(pod('p'), [nodeInfo(node('a'))])).toEqual({ kind: 'error', message: 'running scheduler plugins: boom' });
  });
});
