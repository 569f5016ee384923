/**
 * What the namespace controller deletes and how it reports progress, as pure functions
 * (kubernetes pkg/controller/namespace/deletion): every namespaced kind the client knows,
 * workloads first so their controllers stop replacing pods while the namespace empties, and
 * the NamespaceContentRemaining condition text Kubernetes uses.
 */
import { ALL_RESOURCES, type Condition, type Namespace, type ResourceType } from '@mk8s/shared';

export const KUBERNETES_FINALIZER = 'kubernetes';

const FIRST = ['deployments', 'replicasets', 'replicationcontrollers'];

/** Namespaced kinds in deletion order: workload controllers first, then everything else. */
export function deletionOrder(types: ResourceType[] = ALL_RESOURCES): ResourceType[] {
  const namespaced = types.filter((t) => t.namespaced);
  const rank = (t: ResourceType) => {
    const i = FIRST.indexOf(t.plural);
    return i < 0 ? FIRST.length : i;
  };
  return [...namespaced].sort((a, b) => rank(a) - rank(b));
}

/** Needs the controller's attention: being deleted and still carrying the `kubernetes` finalizer. */
export function needsFinalizing(ns: Namespace): boolean {
  return !!ns.metadata.deletionTimestamp && (ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER);
}

export function finalizersAfter(ns: Namespace): string[] {
  return (ns.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER);
}

/** `qualified resource -> count` of what is left, as Kubernetes words it. */
export function contentRemainingCondition(remaining: Map<string, number>, nowIso: string): Condition {
  const parts = [...remaining.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  if (parts.length === 0) return { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed', lastTransitionTime: nowIso };
  return {
    type: 'NamespaceContentRemaining',
    status: 'True',
    reason: 'SomeResourcesRemain',
    message: `Some resources are remaining: ${parts.map(([r, n]) => `${r} has ${n} resource instances`).join(', ')}`,
    lastTransitionTime: nowIso,
  };
}

/** The namespace's conditions with `c` in place; undefined when nothing but the time would change. */
export function withCondition(ns: Namespace, c: Condition): Condition[] | undefined {
  const conditions = ns.status?.conditions ?? [];
  const cur = conditions.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason && cur.message === c.message) return undefined;
  return [...conditions.filter((x) => x.type !== c.type), c];
}
