import { describe, expect, it } from 'vitest';
import { RESOURCES } from '@mk8s/shared';
import { newNamespace } from '@mk8s/shared/testing';
import { contentRemainingCondition, deletionOrder, finalizersAfter, needsFinalizing, withCondition } from './content.js';

describe('namespace content', () => {
  it('deletes every namespaced kind, workloads first, nothing cluster-scoped', () => {
    const order = deletionOrder().map((t) => t.plural);
    expect(order.slice(0, 3)).toEqual(['deployments', 'replicasets', 'replicationcontrollers']);
    expect(order).toContain('pods');
    expect(order).toContain('configmaps');
    expect(order).not.toContain('nodes');
    expect(order).not.toContain('namespaces');
    expect(order).toHaveLength(Object.values(RESOURCES).filter((t) => t.namespaced).length);
  });

  it.each([
    ['active namespace', newNamespace('a'), false],
    ['terminating with the kubernetes finalizer', newNamespace('a', { deletionTimestamp: '2024-01-01T00:00:00Z' }), true],
    ['terminating, already finalized', { ...newNamespace('a', { deletionTimestamp: '2024-01-01T00:00:00Z' }), spec: { finalizers: [] } }, false],
  ])('needsFinalizing: %s', (_n, ns, want) => {
    expect(needsFinalizing(ns)).toBe(want);
  });

  it('finalizersAfter keeps other finalizers', () => {
    expect(finalizersAfter({ ...newNamespace('a'), spec: { finalizers: ['example.com/x', 'kubernetes'] } })).toEqual(['example.com/x']);
  });

  it.each([
    [new Map([['pods', 2], ['services', 1]]), { status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods has 2 resource instances, services has 1 resource instances' }],
    [new Map<string, number>(), { status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' }],
  ])('contentRemainingCondition %#', (remaining, want) => {
    expect(contentRemainingCondition(remaining, 't')).toEqual({ type: 'NamespaceContentRemaining', lastTransitionTime: 't', ...want });
  });

  it('withCondition only changes on a new status, reason or message', () => {
    const ns = newNamespace('a');
    const c = contentRemainingCondition(new Map([['pods', 1]]), 't1');
    const conds = withCondition(ns, c)!;
    expect(withCondition({ ...ns, status: { conditions: conds } }, { ...c, lastTransitionTime: 't2' })).toBeUndefined();
  });
});
