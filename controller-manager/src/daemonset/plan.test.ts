import type { DaemonSet, Pod } from '@mk8s/shared';
import { describe, expect, it } from 'vitest';
import { groupByNode, planManage } from './plan.js';
import { maxUnavailableOf, planRollingUpdate } from './rolling.js';
import { daemonPod, newDaemonSet, newNode } from './testing.js';

const names = (ps: Pod[]) => ps.map((p) => `${p.spec.nodeName ?? ''}/${p.metadata.name ?? ''}`);

describe('planManage', () => {
  const ds = newDaemonSet('ds', { template: { metadata: { labels: { app: 'ds' } }, spec: { containers: [{ name: 'c', image: 'i' }], nodeSelector: { role: 'worker' } } } });
  const worker = (n: string) => newNode(n, { labels: { role: 'worker' } });

  it('creates on every fitting node without a pod, and not on others', () => {
    const p = daemonPod(ds, 'a', 'h');
    const plan = planManage(ds, [worker('a'), worker('b'), newNode('c')], groupByNode([p]));
    expect(plan).toEqual({ createOn: ['b'], delete: [], failed: [] });
  });

  it('keeps the oldest of several running pods on a node', () => {
    const old = daemonPod(ds, 'a', 'h', { createdMs: 1000 });
    const young = daemonPod(ds, 'a', 'h', { createdMs: 2000 });
    const plan = planManage(ds, [worker('a')], groupByNode([young, old]));
    expect(plan.delete).toEqual([young]);
    expect(plan.createOn).toEqual([]);
  });

  it('deletes pods on nodes that no longer fit and on nodes that are gone', () => {
    const misplaced = daemonPod(ds, 'c', 'h');
    const orphaned = daemonPod(ds, 'gone', 'h');
    const plan = planManage(ds, [newNode('c')], groupByNode([misplaced, orphaned]));
    expect(names(plan.delete)).toEqual(names([misplaced, orphaned]));
  });

  it('reports failed pods, deletes succeeded ones, and waits for a terminating pod to go', () => {
    const failed = daemonPod(ds, 'a', 'h', { phase: 'Failed' });
    const done = daemonPod(ds, 'b', 'h', { phase: 'Succeeded' });
    const terminating = daemonPod(ds, 'c', 'h', { terminating: true });
    const plan = planManage(ds, [worker('a'), worker('b'), worker('c')], groupByNode([failed, done, terminating]));
    expect(plan.failed).toEqual([{ pod: failed, node: 'a' }]);
    expect(plan.delete).toEqual([done]);
    expect(plan.createOn).toEqual([]);
  });

  it('groups unbound pods by their pinned node', () => {
    const p = daemonPod(ds, 'a', 'h');
    delete p.spec.nodeName;
    expect([...groupByNode([p]).keys()]).toEqual(['a']);
  });
});

describe('rolling update', () => {
  const strategy = (maxUnavailable?: number | string): Partial<DaemonSet['spec']> => ({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: maxUnavailable === undefined ? {} : { maxUnavailable } } });

  it.each([
    { name: 'default is 1', value: undefined, desired: 10, want: 1 },
    { name: 'an int', value: 3, desired: 10, want: 3 },
    { name: 'a percent rounds up', value: '25%', desired: 10, want: 3 },
    { name: 'a percent of nothing is still 1', value: '10%', desired: 0, want: 1 },
    { name: 'zero becomes 1', value: 0, desired: 4, want: 1 },
  ])('maxUnavailable: $name', ({ value, desired, want }) => {
    expect(maxUnavailableOf(newDaemonSet('ds', strategy(value)), desired)).toBe(want);
  });

  const nodes = ['a', 'b', 'c', 'd'].map((n) => newNode(n));
  it.each([
    { name: 'all old and available, budget 1: one deleted', maxU: 1, pods: { a: 'old', b: 'old', c: 'old', d: 'old' }, want: ['a'] },
    { name: 'budget 2: two deleted', maxU: 2, pods: { a: 'old', b: 'old', c: 'old', d: 'old' }, want: ['a', 'b'] },
    { name: 'a new pod not yet ready uses the budget', maxU: 1, pods: { a: 'new-unready', b: 'old', c: 'old', d: 'old' }, want: [] },
    { name: 'a node being replaced uses the budget', maxU: 1, pods: { a: 'terminating', b: 'old', c: 'old', d: 'old' }, want: [] },
    { name: 'a node with no pod uses the budget', maxU: 2, pods: { b: 'old', c: 'old', d: 'old' }, want: ['b'] },
    { name: 'an unavailable old pod is replaced at once', maxU: 1, pods: { a: 'new-unready', b: 'old-unready', c: 'old', d: 'old' }, want: ['b'] },
    { name: 'updated and ready nodes free the budget', maxU: 1, pods: { a: 'new', b: 'new', c: 'old', d: 'old' }, want: ['c'] },
    { name: 'all updated: nothing to do', maxU: 1, pods: { a: 'new', b: 'new', c: 'new', d: 'new' }, want: [] },
    { name: '50% of 4 nodes', maxU: '50%', pods: { a: 'old', b: 'old', c: 'old', d: 'old' }, want: ['a', 'b'] },
  ])('$name', ({ maxU, pods, want }) => {
    const ds = newDaemonSet('ds', strategy(maxU));
    const all = Object.entries(pods).map(([node, kind]) =>
      daemonPod(ds, node, kind.startsWith('new') ? 'new' : 'old', { ready: !kind.endsWith('unready'), terminating: kind === 'terminating' }),
    );
    const deleted = planRollingUpdate(ds, nodes, groupByNode(all), 'new', Date.UTC(2024, 0, 1));
    expect(deleted.map((p) => p.spec.nodeName)).toEqual(want);
  });

  it('minReadySeconds: a new pod ready for less time is not yet available', () => {
    const ds = newDaemonSet('ds', { ...strategy(1), minReadySeconds: 30 });
    const now = Date.UTC(2024, 0, 1);
    const fresh = daemonPod(ds, 'a', 'new', { readySinceMs: now - 10_000 });
    const olds = ['b', 'c', 'd'].map((n) => daemonPod(ds, n, 'old'));
    expect(planRollingUpdate(ds, nodes, groupByNode([fresh, ...olds]), 'new', now)).toEqual([]);
    expect(planRollingUpdate(ds, nodes, groupByNode([fresh, ...olds]), 'new', now + 25_000).map((p) => p.spec.nodeName)).toEqual(['b']);
  });
});
