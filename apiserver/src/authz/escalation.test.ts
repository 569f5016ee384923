import { describe, expect, it } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding } from '@mk8s/shared';
import { Authorizer } from './authorizer.js';
import { EscalationCheck, uncoveredRules } from './escalation.js';
import { RbacAuthorizer, type RbacSource } from './rbac.js';

const r = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });

describe('uncoveredRules', () => {
  it.each([
    { name: 'the same rule', owner: [r(['get', 'list'], [''], ['pods'])], servant: [r(['get'], [''], ['pods'])], missing: 0 },
    { name: 'a verb more', owner: [r(['get'], [''], ['pods'])], servant: [r(['get', 'delete'], [''], ['pods'])], missing: 1 },
    { name: 'stars cover anything', owner: [r(['*'], ['*'], ['*'])], servant: [r(['*'], ['apps'], ['deployments', 'deployments/scale'])], missing: 0 },
    { name: 'a star verb needs a star verb', owner: [r(['get', 'list', 'watch', 'create'], [''], ['pods'])], servant: [r(['*'], [''], ['pods'])], missing: 1 },
    { name: 'a subresource is not covered by its resource', owner: [r(['get'], [''], ['pods'])], servant: [r(['get'], [''], ['pods/log'])], missing: 1 },
    { name: 'star slash subresource covers it', owner: [r(['get'], [''], ['*/log'])], servant: [r(['get'], [''], ['pods/log'])], missing: 0 },
    { name: 'named owner covers the same name', owner: [r(['get'], [''], ['secrets'], ['a'])], servant: [r(['get'], [''], ['secrets'], ['a'])], missing: 0 },
    { name: 'named owner does not cover all names', owner: [r(['get'], [''], ['secrets'], ['a'])], servant: [r(['get'], [''], ['secrets'])], missing: 1 },
    { name: 'rules split across owner rules', owner: [r(['get'], [''], ['pods']), r(['list'], [''], ['pods'])], servant: [r(['get', 'list'], [''], ['pods'])], missing: 0 },
    { name: 'non-resource by prefix', owner: [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }], servant: [{ verbs: ['get'], nonResourceURLs: ['/apis/apps'] }], missing: 0 },
    { name: 'non-resource not held', owner: [r(['*'], ['*'], ['*'])], servant: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }], missing: 1 },
  ])('$name', ({ owner, servant, missing }) => {
    expect(uncoveredRules(owner, servant)).toHaveLength(missing);
  });
});

const G = 'rbac.authorization.k8s.io';
const dev = { name: 'dev', uid: 'd', groups: ['system:authenticated'] };

function setup(devRules: PolicyRule[]) {
  const roles: Role[] = [{ metadata: { namespace: 'team', name: 'dev-role' }, rules: devRules }];
  const clusterRoles: ClusterRole[] = [{ metadata: { name: 'cluster-admin' }, rules: [r(['*'], ['*'], ['*'])] }];
  const roleBindings: RoleBinding[] = [{ metadata: { namespace: 'team', name: 'dev' }, roleRef: { apiGroup: G, kind: 'Role', name: 'dev-role' }, subjects: [{ kind: 'User', name: 'dev' }] }];
  const source: RbacSource = {
    clusterRoleBindings: (): ClusterRoleBinding[] => [],
    roleBindings: (ns) => roleBindings.filter((b) => b.metadata.namespace === ns),
    role: (ns, name) => roles.find((x) => x.metadata.namespace === ns && x.metadata.name === name),
    clusterRole: (name) => clusterRoles.find((x) => x.metadata.name === name),
  };
  const rbac = new RbacAuthorizer(source);
  return new EscalationCheck(new Authorizer(['RBAC'], rbac), rbac, source);
}

describe('EscalationCheck', () => {
  // every verb but escalate and bind (a star would include them)
  const canWriteRbac = r(['get', 'list', 'create', 'update', 'patch', 'delete'], [G], ['roles', 'rolebindings']);
  const readPods = r(['get', 'list'], [''], ['pods']);

  it('lets a user write a Role with rules they hold, and refuses one with more', () => {
    const check = setup([canWriteRbac, readPods]);
    expect(() => check.checkRole(dev, { metadata: { namespace: 'team', name: 'ok' }, rules: [r(['get'], [''], ['pods'])] }, 'roles')).not.toThrow();
    expect(() => check.checkRole(dev, { metadata: { namespace: 'team', name: 'more' }, rules: [r(['delete'], [''], ['pods'])] }, 'roles')).toThrow(
      /roles.rbac.authorization.k8s.io "more" is forbidden: user "dev" .* is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["pods"\], Verbs:\["delete"\]\}/,
    );
    expect(() => check.checkRole(dev, { metadata: { namespace: 'other', name: 'elsewhere' }, rules: [r(['get'], [''], ['pods'])] }, 'roles')).toThrow(/not currently held/);
  });

  it('lets a user bind a role they hold, refuses cluster-admin, and allows it with the bind verb', () => {
    const check = setup([canWriteRbac, readPods]);
    const binding = (kind: 'Role' | 'ClusterRole', name: string): RoleBinding => ({ metadata: { namespace: 'team', name: 'b' }, roleRef: { apiGroup: G, kind, name }, subjects: [{ kind: 'User', name: 'eve' }] });
    expect(() => check.checkBinding(dev, binding('Role', 'dev-role'), 'rolebindings')).not.toThrow();
    expect(() => check.checkBinding(dev, binding('ClusterRole', 'cluster-admin'), 'rolebindings')).toThrow(/rolebindings.rbac.authorization.k8s.io "b" is forbidden: user "dev"/);
    expect(() => check.checkBinding(dev, binding('ClusterRole', 'missing'), 'rolebindings')).toThrow(/clusterroles.rbac.authorization.k8s.io "missing" not found/);
    const binder = setup([canWriteRbac, r(['bind'], [G], ['clusterroles'], ['cluster-admin'])]);
    expect(() => binder.checkBinding(dev, binding('ClusterRole', 'cluster-admin'), 'rolebindings')).not.toThrow();
  });

  it('the escalate verb allows writing any rules', () => {
    const check = setup([canWriteRbac, r(['escalate'], [G], ['roles'])]);
    expect(() => check.checkRole(dev, { metadata: { namespace: 'team', name: 'big' }, rules: [r(['*'], ['*'], ['*'])] }, 'roles')).not.toThrow();
  });
});
