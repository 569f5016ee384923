/**
 * Bringing existing bootstrap roles and bindings up to date at start, as Kubernetes' RBAC
 * reconciliation does for objects annotated `rbac.authorization.kubernetes.io/autoupdate:
 * "true"` (an administrator opts out by setting it to "false"): missing labels and annotations
 * are added, a ClusterRole gains the rules it lacks (existing extra rules stay) and the
 * aggregationRule it should have, a binding gains the subjects it lacks, and a binding whose
 * roleRef differs is replaced (roleRef is immutable).
 */
import type { ClusterRole, ClusterRoleBinding, KubeObject, Subject } from '@mk8s/shared';
import { uncoveredRules } from './escalation.js';

export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

const optedOut = (o: KubeObject) => o.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false';

function withMeta<T extends KubeObject>(existing: T, wanted: T): T {
  return {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels: { ...wanted.metadata.labels, ...existing.metadata.labels },
      annotations: { ...wanted.metadata.annotations, ...existing.metadata.annotations },
    },
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The role to write instead of `existing`, or undefined when it needs nothing. */
export function reconcileClusterRole(existing: ClusterRole, wanted: ClusterRole): ClusterRole | undefined {
  if (optedOut(existing)) return undefined;
  const next = withMeta(existing, wanted);
  const missing = uncoveredRules(existing.rules ?? [], wanted.rules ?? []);
  if (missing.length) next.rules = [...(existing.rules ?? []), ...missing];
  if (wanted.aggregationRule && !same(existing.aggregationRule, wanted.aggregationRule)) next.aggregationRule = wanted.aggregationRule;
  return same(next, existing) ? undefined : next;
}

const sameSubject = (a: Subject, b: Subject) => a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

export type BindingReconcile = { action: 'none' } | { action: 'update' | 'recreate'; binding: ClusterRoleBinding };

/** What to do about `existing`, a binding the bootstrap policy wants as `wanted`. */
export function reconcileClusterRoleBinding(existing: ClusterRoleBinding, wanted: ClusterRoleBinding): BindingReconcile {
  if (optedOut(existing)) return { action: 'none' };
  const next = withMeta(existing, wanted);
  const have = existing.subjects ?? [];
  const missing = (wanted.subjects ?? []).filter((s) => !have.some((h) => sameSubject(h, s)));
  if (missing.length) next.subjects = [...have, ...missing];
  if (!same(existing.roleRef, wanted.roleRef)) {
    const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, ...metadata } = next.metadata;
    return { action: 'recreate', binding: { ...next, metadata, roleRef: wanted.roleRef } };
  }
  return same(next, existing) ? { action: 'none' } : { action: 'update', binding: next };
}
