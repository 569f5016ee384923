import { describe, expect, it } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, PolicyRule } from '@mk8s/shared';
import { AUTOUPDATE_ANNOTATION, reconcileClusterRole, reconcileClusterRoleBinding } from './reconcile.js';

const G = 'rbac.authorization.k8s.io';
const read = (r: string): PolicyRule => ({ verbs: ['get'], apiGroups: [''], resources: [r] });
const meta = (extra: Record<string, string> = {}) => ({ name: 'r', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true', ...extra } });
const role = (rules: PolicyRule[], annotations?: Record<string, string>): ClusterRole => ({ metadata: { ...meta(annotations), resourceVersion: '7' }, rules });

describe('reconcileClusterRole', () => {
  const wanted: ClusterRole = { metadata: meta(), rules: [read('pods'), read('services')] };

  it('adds the rules it lacks and keeps its extra ones', () => {
    expect(reconcileClusterRole(role([read('pods'), read('secrets')]), wanted)?.rules).toEqual([read('pods'), read('secrets'), read('services')]);
  });
  it('leaves a role that already covers them alone', () => {
    expect(reconcileClusterRole(role([{ verbs: ['*'], apiGroups: [''], resources: ['*'] }]), wanted)).toBeUndefined();
  });
  it('leaves a role opted out with autoupdate "false" alone', () => {
    expect(reconcileClusterRole(role([], { [AUTOUPDATE_ANNOTATION]: 'false' }), wanted)).toBeUndefined();
  });
  it('gives a role the aggregationRule it should have, and the labels it lacks', () => {
    const agg = { clusterRoleSelectors: [{ matchLabels: { x: 'true' } }] };
    const next = reconcileClusterRole({ metadata: { name: 'r', annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } }, rules: [read('pods'), read('services')] }, { ...wanted, aggregationRule: agg });
    expect(next?.aggregationRule).toEqual(agg);
    expect(next?.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'rbac-defaults' });
  });
});

describe('reconcileClusterRoleBinding', () => {
  const binding = (roleName: string, names: string[], annotations?: Record<string, string>): ClusterRoleBinding => ({
    metadata: { ...meta(annotations), uid: 'u', resourceVersion: '3', creationTimestamp: '2026-01-01T00:00:00Z' },
    roleRef: { apiGroup: G, kind: 'ClusterRole', name: roleName },
    subjects: names.map((name) => ({ kind: 'Group', apiGroup: G, name })),
  });
  const wanted: ClusterRoleBinding = { metadata: meta(), roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'basic' }, subjects: [{ kind: 'Group', apiGroup: G, name: 'system:authenticated' }] };

  it('nothing to do when the subjects and role match', () => {
    expect(reconcileClusterRoleBinding(binding('basic', ['system:authenticated', 'extra']), wanted)).toEqual({ action: 'none' });
  });
  it('adds missing subjects', () => {
    const r = reconcileClusterRoleBinding(binding('basic', ['extra']), wanted);
    expect(r.action).toBe('update');
    expect(r.action !== 'none' && r.binding.subjects?.map((s) => s.name)).toEqual(['extra', 'system:authenticated']);
  });
  it('recreates a binding to another role, without the old identity', () => {
    const r = reconcileClusterRoleBinding(binding('view', ['system:authenticated']), wanted);
    expect(r.action).toBe('recreate');
    if (r.action === 'recreate') {
      expect(r.binding.roleRef.name).toBe('basic');
      expect(r.binding.metadata.uid).toBeUndefined();
      expect(r.binding.metadata.resourceVersion).toBeUndefined();
    }
  });
  it('leaves an opted-out binding alone', () => {
    expect(reconcileClusterRoleBinding(binding('view', [], { [AUTOUPDATE_ANNOTATION]: 'false' }), wanted)).toEqual({ action: 'none' });
  });
});
