import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from '@mk8s/shared';
import { node, nodeInfo, pod } from '../testing/fixtures.js';
import { reverseNormalize, taintToleration, toleratesTaint } from './taint-toleration.js';

const noSchedule: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  it.each<{ name: string; t: Toleration; taint: Taint; ok: boolean }>([
    { name: 'Equal with same key, value, effect', t: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint: noSchedule, ok: true },
    { name: 'default operator is Equal', t: { key: 'dedicated', value: 'gpu' }, taint: noSchedule, ok: true },
    { name: 'Equal with other value', t: { key: 'dedicated', value: 'cpu' }, taint: noSchedule, ok: false },
    { name: 'Exists on the key', t: { key: 'dedicated', operator: 'Exists' }, taint: noSchedule, ok: true },
    { name: 'empty key with Exists tolerates all', t: { operator: 'Exists' }, taint: noSchedule, ok: true },
    { name: 'effect mismatch', t: { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint: noSchedule, ok: false },
    { name: 'empty effect matches any effect', t: { key: 'dedicated', operator: 'Exists', effect: '' }, taint: noSchedule, ok: true },
    { name: 'other key', t: { key: 'zone', operator: 'Exists' }, taint: noSchedule, ok: false },
    { name: 'missing values compare equal', t: { key: 'k' }, taint: { key: 'k', effect: 'NoSchedule' }, ok: true },
  ])('$name', ({ t, taint, ok }) => {
    expect(toleratesTaint(t, taint)).toBe(ok);
  });
});

describe('TaintToleration filter', () => {
  it.each<{ name: string; taints: Taint[]; tolerations?: Toleration[]; reasons: string[] }>([
    { name: 'untainted node', taints: [], reasons: [] },
    { name: 'NoSchedule taint not tolerated', taints: [noSchedule], reasons: ['node(s) had untolerated taint {dedicated: gpu}'] },
    { name: 'NoExecute taint not tolerated', taints: [{ key: 'k', effect: 'NoExecute' }], reasons: ['node(s) had untolerated taint {k: }'] },
    { name: 'NoSchedule taint tolerated', taints: [noSchedule], tolerations: [{ key: 'dedicated', operator: 'Exists' }], reasons: [] },
    { name: 'PreferNoSchedule never filters', taints: [{ key: 'k', effect: 'PreferNoSchedule' }], reasons: [] },
  ])('$name', ({ taints, tolerations, reasons }) => {
    const status = taintToleration().filter!(pod('p', { tolerations }), nodeInfo(node('n1', { taints })));
    expect(status).toEqual({ code: reasons.length ? 'UnschedulableAndUnresolvable' : 'Success', reasons });
  });
});

describe('TaintToleration score', () => {
  it('prefers nodes with fewer untolerated PreferNoSchedule taints', () => {
    const plugin = taintToleration();
    const p = pod('p', { tolerations: [{ key: 'ok', operator: 'Exists' }] });
    const prefer = (key: string): Taint => ({ key, effect: 'PreferNoSchedule' });
    const nodes = [node('clean'), node('one', { taints: [prefer('a')] }), node('two', { taints: [prefer('a'), prefer('b')] }), node('tolerated', { taints: [prefer('ok')] })];
    const scores = Float64Array.from(nodes.map((n) => plugin.score!(p, nodeInfo(n))));
    expect([...scores]).toEqual([0, 1, 2, 0]);
    plugin.normalizeScore!(p, scores);
    expect([...scores]).toEqual([100, 50, 0, 100]);
  });

  it('gives every node 100 when none has such taints', () => {
    const scores = Float64Array.from([0, 0]);
    reverseNormalize(scores);
    expect([...scores]).toEqual([100, 100]);
  });
});
