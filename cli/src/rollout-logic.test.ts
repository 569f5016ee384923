import { describe, it, expect } from 'vitest';
import type { Deployment, ReplicaSet } from '@mk8s/shared';
import { ownedReplicaSets, rollbackTarget, rolloutStatus, selectorToString, templateForRollback, REVISION } from './rollout-logic.js';

const deploy = (gen: number, status: Deployment['status'], replicas = 3): Deployment => ({
  metadata: { name: 'web', uid: 'd1', generation: gen },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } },
  status,
});

describe('rolloutStatus', () => {
  it.each([
    { name: 'spec not observed', d: deploy(2, { observedGeneration: 1 }), done: false, msg: 'Waiting for deployment spec update to be observed...' },
    { name: 'updating', d: deploy(1, { observedGeneration: 1, updatedReplicas: 1, replicas: 3 }), done: false, msg: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...' },
    { name: 'old pending', d: deploy(1, { observedGeneration: 1, updatedReplicas: 3, replicas: 4 }), done: false, msg: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...' },
    { name: 'not available', d: deploy(1, { observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }), done: false, msg: 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...' },
    { name: 'done', d: deploy(1, { observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), done: true, msg: 'deployment "web" successfully rolled out' },
    { name: 'scaled to zero', d: deploy(1, { observedGeneration: 1 }, 0), done: true, msg: 'deployment "web" successfully rolled out' },
  ])('$name', ({ d, done, msg }) => {
    const st = rolloutStatus(d);
    expect(st.done).toBe(done);
    expect(st.message).toBe(msg);
  });
  it('progress deadline is an error', () => {
    const st = rolloutStatus(deploy(1, { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
    expect(st.error).toBe('deployment "web" exceeded its progress deadline');
  });
});

const rs = (name: string, rev: number, owner = 'd1', image = 'x'): ReplicaSet => ({
  metadata: { name, annotations: { [REVISION]: String(rev) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true }] },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'h' + rev } }, spec: { containers: [{ name: 'c', image }] } } },
});

describe('history and rollback', () => {
  const all = [rs('b', 2), rs('other', 9, 'zzz'), rs('a', 1), rs('c', 3)];
  it('keeps owned sets sorted by revision', () => expect(ownedReplicaSets(deploy(1, {}), all).map((x) => x.metadata.name)).toEqual(['a', 'b', 'c']));
  it.each([
    { name: 'previous revision', to: 0, want: 'b' },
    { name: 'explicit revision', to: 1, want: 'a' },
    { name: 'missing revision', to: 7, want: 'unable to find specified revision 7 in history' },
  ])('$name', ({ to, want }) => {
    const t = rollbackTarget(ownedReplicaSets(deploy(1, {}), all), to);
    expect(typeof t === 'string' ? t : t.metadata.name).toBe(want);
  });
  it('no history', () => expect(rollbackTarget([rs('a', 1)], 0)).toBe('no rollout history found'));
  it('drops the pod-template-hash label', () => expect(templateForRollback(rs('a', 1))?.metadata?.labels).toEqual({ app: 'web' }));
});

describe('selectorToString', () => {
  it.each([
    { sel: { matchLabels: { a: '1', b: '2' } }, want: 'a=1,b=2' },
    {
      sel: { matchExpressions: [{ key: 'x', operator: 'In' as const, values: ['1', '2'] }, { key: 'y', operator: 'Exists' as const }, { key: 'z', operator: 'DoesNotExist' as const }] },
      want: 'x in (1,2),y,!z',
    },
  ])('$want', ({ sel, want }) => expect(selectorToString(sel)).toBe(want));
});
