import { describe, expect, it } from 'vitest';
import { node, nodeInfo, pod, type NodeOpts, type PodOpts } from '../testing/fixtures.js';
import { fitsResources, insufficientResources, nodeResourcesFit } from './node-resources-fit.js';
import { podResources } from '../resources.js';

describe('NodeResourcesFit', () => {
  it.each<{ name: string; pod: PodOpts; node: NodeOpts; existing?: PodOpts[]; reasons: string[] }>([
    { name: 'fits an empty node', pod: { cpu: '1', memory: '1Gi' }, node: { cpu: '2', memory: '2Gi' }, reasons: [] },
    { name: 'exactly fills the node', pod: { cpu: '2', memory: '2Gi' }, node: { cpu: '2', memory: '2Gi' }, reasons: [] },
    { name: 'too much cpu', pod: { cpu: '3' }, node: { cpu: '2' }, reasons: ['Insufficient cpu'] },
    { name: 'too much memory', pod: { memory: '3Gi' }, node: { memory: '2Gi' }, reasons: ['Insufficient memory'] },
    { name: 'both short', pod: { cpu: '3', memory: '3Gi' }, node: { cpu: '2', memory: '2Gi' }, reasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'millicores add up with existing pods', pod: { cpu: '600m' }, node: { cpu: '1' }, existing: [{ cpu: '500m' }], reasons: ['Insufficient cpu'] },
    { name: 'room left after existing pods', pod: { cpu: '500m' }, node: { cpu: '1' }, existing: [{ cpu: '500m' }], reasons: [] },
    { name: 'pod count limit', pod: {}, node: { pods: '2' }, existing: [{}, {}], reasons: ['Too many pods'] },
    { name: 'pod count limit and cpu', pod: { cpu: '5' }, node: { pods: '1', cpu: '4' }, existing: [{}], reasons: ['Too many pods', 'Insufficient cpu'] },
    { name: 'a pod without requests fits a full node', pod: {}, node: { cpu: '1' }, existing: [{ cpu: '1' }], reasons: [] },
    { name: 'node with no allocatable cpu', pod: { cpu: '1m' }, node: { cpu: '0' }, reasons: ['Insufficient cpu'] },
  ])('$name', ({ pod: po, node: no, existing, reasons }) => {
    const p = pod('p', po);
    const info = nodeInfo(node('n1', no), (existing ?? []).map((e, i) => pod(`e${i}`, e)));
    expect(insufficientResources(podResources(p).requests, info)).toEqual(reasons);
    expect(fitsResources(p, info)).toBe(reasons.length === 0);
    expect(nodeResourcesFit().filter!(p, info)).toEqual({ code: reasons.length ? 'Unschedulable' : 'Success', reasons });
  });
});
