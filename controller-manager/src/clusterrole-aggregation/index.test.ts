import { describe, expect, it } from 'vitest';
import { RESOURCES, type ClusterRole, type PolicyRule } from '@mk8s/shared';
import { FakeClient } from '@mk8s/shared/testing';
import { ClusterRoleAggregator, aggregatedRules } from './index.js';

const read = (resource: string): PolicyRule => ({ verbs: ['get', 'list'], apiGroups: [''], resources: [resource] });
const LABEL = 'rbac.authorization.k8s.io/aggregate-to-view';

function role(name: string, rules: PolicyRule[], labels?: Record<string, string>, collects?: string): ClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, ...(labels ? { labels } : {}) },
    ...(collects ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [collects]: 'true' } }] } } : {}),
    rules,
  };
}

describe('aggregatedRules', () => {
  it('is undefined for a role without an aggregationRule', () => {
    expect(aggregatedRules(role('plain', [read('pods')]), [])).toBeUndefined();
  });

  it('unites the rules of the matching roles, by name, each rule once, never the role itself', () => {
    const view = role('view', [read('stale')], { [LABEL]: 'true' }, LABEL);
    const all = [
      view,
      role('z-extra', [read('widgets'), read('pods')], { [LABEL]: 'true' }),
      role('a-base', [read('pods')], { [LABEL]: 'true' }),
      role('unlabelled', [read('secrets')]),
    ];
    expect(aggregatedRules(view, all)).toEqual([read('pods'), read('widgets')]);
  });

  it('an aggregationRule without selectors aggregates nothing', () => {
    expect(aggregatedRules({ metadata: { name: 'x' }, aggregationRule: {}, rules: [read('pods')] }, [])).toEqual([]);
  });
});

describe('ClusterRoleAggregator', () => {
  function setup(roles: ClusterRole[]) {
    const client = new FakeClient();
    client.seed(RESOURCES.clusterroles, roles);
    client.clearActions();
    const lister = {
      get: (_ns: string | undefined, n: string) => client.stored<ClusterRole>(RESOURCES.clusterroles, undefined, n),
      list: () => client.all(RESOURCES.clusterroles) as ClusterRole[],
    };
    return { client, c: new ClusterRoleAggregator(lister, client.resource<ClusterRole>(RESOURCES.clusterroles)) };
  }

  it('writes the union when it differs, and nothing when it does not', async () => {
    const { client, c } = setup([role('view', [], undefined, LABEL), role('extra', [read('widgets')], { [LABEL]: 'true' })]);
    expect(c.aggregating()).toEqual(['view']);
    await c.sync('view');
    expect(client.stored<ClusterRole>(RESOURCES.clusterroles, undefined, 'view')?.rules).toEqual([read('widgets')]);
    client.clearActions();
    await c.sync('view');
    expect(client.actions.filter((a) => a.verb === 'update')).toEqual([]);
  });

  it('leaves roles without an aggregationRule and missing roles alone', async () => {
    const { client, c } = setup([role('plain', [read('pods')])]);
    await c.sync('plain');
    await c.sync('gone');
    expect(client.actions.filter((a) => a.verb === 'update')).toEqual([]);
  });
});
