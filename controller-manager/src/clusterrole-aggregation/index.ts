/**
 * `clusterrole-aggregation`, as Kubernetes' controller of that name: a ClusterRole with an
 * aggregationRule holds the union of the rules of every other ClusterRole its
 * clusterRoleSelectors match (selectors in order, matching roles by name, each rule once). So
 * labelling a ClusterRole `rbac.authorization.k8s.io/aggregate-to-view: "true"` adds its rules
 * to `view` (and the same for edit and admin). Any ClusterRole change queues every aggregating
 * role; a sync writes only when the union differs from what the role holds.
 */
import { RESOURCES, isNotFound, selectorFromLabelSelector, type ClusterRole, type PolicyRule, type ResourceApi } from '@mk8s/shared';
import type { ControllerDescriptor } from '../context.js';
import type { Lister } from '../util/lister.js';
import { newQueue, startWorkers } from '../workers.js';

/** Byte order, as Go sorts strings. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sameRule = (a: PolicyRule, b: PolicyRule): boolean => JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
const normalize = (r: PolicyRule) => [r.verbs ?? [], r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []];

/** The rules `role` aggregates from `all` (undefined when it has no aggregationRule). */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!role.aggregationRule) return undefined;
  const others = all.filter((r) => r.metadata.name !== role.metadata.name).sort((a, b) => byName(a.metadata.name ?? '', b.metadata.name ?? ''));
  const rules: PolicyRule[] = [];
  for (const ls of selectors ?? []) {
    const selector = selectorFromLabelSelector(ls);
    for (const other of others) {
      if (!selector.matches(other.metadata.labels)) continue;
      for (const rule of other.rules ?? []) if (!rules.some((r) => sameRule(r, rule))) rules.push(rule);
    }
  }
  return rules;
}

const sameRules = (a: readonly PolicyRule[], b: readonly PolicyRule[]) => a.length === b.length && a.every((r, i) => sameRule(r, b[i]!));

export class ClusterRoleAggregator {
  constructor(
    private readonly roles: Lister<ClusterRole>,
    private readonly api: ResourceApi<ClusterRole>,
  ) {}

  /** The names to sync after any ClusterRole changes: every aggregating role. */
  aggregating(): string[] {
    return this.roles
      .list()
      .filter((r) => r.aggregationRule)
      .map((r) => r.metadata.name ?? '');
  }

  async sync(name: string): Promise<void> {
    const role = this.roles.get(undefined, name);
    if (!role) return;
    const rules = aggregatedRules(role, this.roles.list());
    if (!rules || sameRules(rules, role.rules ?? [])) return;
    try {
      await this.api.update({ ...role, rules });
    } catch (err) {
      if (!isNotFound(err)) throw err; // a conflict is retried by the queue
    }
  }
}

export const clusterRoleAggregationController: ControllerDescriptor = {
  name: 'clusterrole-aggregation',
  start(ctx) {
    const queue = newQueue(ctx, 'clusterrole_aggregation');
    const roles = ctx.informers.get<ClusterRole>(RESOURCES.clusterroles);
    const c = new ClusterRoleAggregator(roles, ctx.client.resource<ClusterRole>(RESOURCES.clusterroles));
    const enqueueAll = () => {
      for (const name of c.aggregating()) queue.add(name);
    };
    roles.addHandlers({ onAdd: enqueueAll, onUpdate: enqueueAll, onDelete: enqueueAll });
    void startWorkers(ctx, queue, (name) => c.sync(name));
  },
};
