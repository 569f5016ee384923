import { describe, expect, it } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from '@mk8s/shared';
import { requestAttributes } from './attributes.js';
import { RbacAuthorizer, ruleAllows, type RbacSource } from './rbac.js';

const G = 'rbac.authorization.k8s.io';
const alice = { name: 'alice', uid: 'a', groups: ['devs', 'system:authenticated'] };
const sa = { name: 'system:serviceaccount:team:builder', uid: 's', groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'] };

const at = (method: string, url: string, user = alice) => requestAttributes(user, method, url);

describe('ruleAllows', () => {
  const r = (rule: Partial<PolicyRule>): PolicyRule => ({ verbs: ['get'], apiGroups: [''], resources: ['pods'], ...rule });
  it.each([
    { name: 'exact verb, group and resource', rule: r({}), req: ['GET', '/api/v1/namespaces/x/pods/p'], want: true },
    { name: 'another verb', rule: r({}), req: ['DELETE', '/api/v1/namespaces/x/pods/p'], want: false },
    { name: 'a star verb', rule: r({ verbs: ['*'] }), req: ['DELETE', '/api/v1/namespaces/x/pods/p'], want: true },
    { name: 'another group', rule: r({}), req: ['GET', '/apis/apps/v1/namespaces/x/deployments/d'], want: false },
    { name: 'star group and resource', rule: r({ apiGroups: ['*'], resources: ['*'] }), req: ['GET', '/apis/apps/v1/namespaces/x/deployments/d'], want: true },
    { name: 'a subresource is not the resource', rule: r({}), req: ['GET', '/api/v1/namespaces/x/pods/p/log'], want: false },
    { name: 'the subresource by name', rule: r({ resources: ['pods/log'] }), req: ['GET', '/api/v1/namespaces/x/pods/p/log'], want: true },
    { name: 'star slash subresource', rule: r({ verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }), req: ['PUT', '/apis/apps/v1/namespaces/x/deployments/d/scale'], want: true },
    { name: 'star slash subresource is not the resource', rule: r({ apiGroups: ['apps'], resources: ['*/scale'] }), req: ['GET', '/apis/apps/v1/namespaces/x/deployments/d'], want: false },
    { name: 'a listed resource name', rule: r({ resourceNames: ['p'] }), req: ['GET', '/api/v1/namespaces/x/pods/p'], want: true },
    { name: 'an unlisted resource name', rule: r({ resourceNames: ['q'] }), req: ['GET', '/api/v1/namespaces/x/pods/p'], want: false },
    { name: 'resource names do not allow a list', rule: r({ verbs: ['list'], resourceNames: ['p'] }), req: ['GET', '/api/v1/namespaces/x/pods'], want: false },
    { name: 'a non-resource URL', rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] }, req: ['GET', '/healthz'], want: true },
    { name: 'a non-resource prefix', rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, req: ['GET', '/apis/apps/v1'], want: true },
    { name: 'a non-resource prefix does not match its parent', rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, req: ['GET', '/apis'], want: false },
    { name: 'a resource rule does not match a path', rule: r({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }), req: ['GET', '/metrics'], want: false },
    { name: 'a path rule does not match a resource', rule: { verbs: ['*'], nonResourceURLs: ['*'] }, req: ['GET', '/api/v1/namespaces/x/pods'], want: false },
  ])('$name', ({ rule, req, want }) => {
    expect(ruleAllows(at(req[0]!, req[1]!), rule)).toBe(want);
  });
});

function source(o: { roles?: Role[]; clusterRoles?: ClusterRole[]; roleBindings?: RoleBinding[]; clusterRoleBindings?: ClusterRoleBinding[] }): RbacSource {
  return {
    clusterRoleBindings: () => o.clusterRoleBindings ?? [],
    roleBindings: (ns) => (o.roleBindings ?? []).filter((b) => b.metadata.namespace === ns),
    role: (ns, name) => (o.roles ?? []).find((r) => r.metadata.namespace === ns && r.metadata.name === name),
    clusterRole: (name) => (o.clusterRoles ?? []).find((r) => r.metadata.name === name),
  };
}

const role = (ns: string, name: string, rules: PolicyRule[]): Role => ({ apiVersion: `${G}/v1`, kind: 'Role', metadata: { namespace: ns, name }, rules });
const clusterRole = (name: string, rules: PolicyRule[]): ClusterRole => ({ apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name }, rules });
const rb = (ns: string, name: string, kind: 'Role' | 'ClusterRole', roleName: string, subjects: Subject[]): RoleBinding => ({
  apiVersion: `${G}/v1`,
  kind: 'RoleBinding',
  metadata: { namespace: ns, name },
  roleRef: { apiGroup: G, kind, name: roleName },
  subjects,
});
const crb = (name: string, roleName: string, subjects: Subject[]): ClusterRoleBinding => ({
  apiVersion: `${G}/v1`,
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: G, kind: 'ClusterRole', name: roleName },
  subjects,
});
const readPods: PolicyRule = { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] };

describe('RbacAuthorizer', () => {
  it('a RoleBinding grants its Role in its own namespace only', () => {
    const authz = new RbacAuthorizer(source({ roles: [role('team', 'reader', [readPods])], roleBindings: [rb('team', 'rb', 'Role', 'reader', [{ kind: 'User', name: 'alice' }])] }));
    expect(authz.authorize(at('GET', '/api/v1/namespaces/team/pods')).allowed).toBe(true);
    expect(authz.authorize(at('GET', '/api/v1/namespaces/other/pods')).allowed).toBe(false);
    expect(authz.authorize(at('GET', '/api/v1/pods')).allowed).toBe(false);
    expect(authz.authorize(at('POST', '/api/v1/namespaces/team/pods')).allowed).toBe(false);
  });

  it('a RoleBinding to a ClusterRole grants it in the binding namespace; a ClusterRoleBinding everywhere', () => {
    const roles = { clusterRoles: [clusterRole('pod-reader', [readPods])] };
    const scoped = new RbacAuthorizer(source({ ...roles, roleBindings: [rb('team', 'rb', 'ClusterRole', 'pod-reader', [{ kind: 'Group', name: 'devs' }])] }));
    expect(scoped.authorize(at('GET', '/api/v1/namespaces/team/pods/p')).allowed).toBe(true);
    expect(scoped.authorize(at('GET', '/api/v1/namespaces/other/pods/p')).allowed).toBe(false);
    const everywhere = new RbacAuthorizer(source({ ...roles, clusterRoleBindings: [crb('crb', 'pod-reader', [{ kind: 'Group', name: 'devs' }])] }));
    expect(everywhere.authorize(at('GET', '/api/v1/namespaces/other/pods/p')).allowed).toBe(true);
    expect(everywhere.authorize(at('GET', '/api/v1/pods')).allowed).toBe(true);
  });

  it('matches users, groups and service accounts (a RoleBinding subject without a namespace means its own)', () => {
    const roles = { roles: [role('team', 'reader', [readPods])] };
    const cases: [Subject, boolean][] = [
      [{ kind: 'ServiceAccount', name: 'builder' }, true],
      [{ kind: 'ServiceAccount', name: 'builder', namespace: 'team' }, true],
      [{ kind: 'ServiceAccount', name: 'builder', namespace: 'elsewhere' }, false],
      [{ kind: 'ServiceAccount', name: 'other' }, false],
      [{ kind: 'Group', name: 'system:serviceaccounts:team' }, true],
      [{ kind: 'User', name: 'system:serviceaccount:team:builder' }, true],
      [{ kind: 'User', name: 'alice' }, false],
    ];
    for (const [subject, want] of cases) {
      const authz = new RbacAuthorizer(source({ ...roles, roleBindings: [rb('team', 'rb', 'Role', 'reader', [subject])] }));
      expect(authz.authorize(at('GET', '/api/v1/namespaces/team/pods', sa)).allowed, JSON.stringify(subject)).toBe(want);
    }
  });

  it('non-resource URLs come only from ClusterRoleBindings', () => {
    const discovery = clusterRole('disc', [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] }]);
    const viaCrb = new RbacAuthorizer(source({ clusterRoles: [discovery], clusterRoleBindings: [crb('c', 'disc', [{ kind: 'Group', name: 'system:authenticated' }])] }));
    expect(viaCrb.authorize(at('GET', '/api/v1')).allowed).toBe(true);
    expect(viaCrb.authorize(at('GET', '/apis')).allowed).toBe(false);
    const viaRb = new RbacAuthorizer(source({ clusterRoles: [discovery], roleBindings: [rb('team', 'r', 'ClusterRole', 'disc', [{ kind: 'User', name: 'alice' }])] }));
    expect(viaRb.authorize(at('GET', '/api/v1')).allowed).toBe(false);
  });

  it('a binding to a missing role allows nothing and says why', () => {
    const authz = new RbacAuthorizer(source({ roleBindings: [rb('team', 'rb', 'Role', 'gone', [{ kind: 'User', name: 'alice' }])] }));
    const d = authz.authorize(at('GET', '/api/v1/namespaces/team/pods'));
    expect(d).toEqual({ allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found' });
  });

  it('rulesFor gathers the cluster-wide and namespace rules of the user', () => {
    const authz = new RbacAuthorizer(
      source({
        roles: [role('team', 'reader', [readPods])],
        clusterRoles: [clusterRole('disc', [{ verbs: ['get'], nonResourceURLs: ['/api'] }])],
        roleBindings: [rb('team', 'rb', 'Role', 'reader', [{ kind: 'User', name: 'alice' }])],
        clusterRoleBindings: [crb('c', 'disc', [{ kind: 'Group', name: 'devs' }])],
      }),
    );
    expect(authz.rulesFor(alice, 'team')).toEqual({ resource: [readPods], nonResource: [{ verbs: ['get'], nonResourceURLs: ['/api'] }] });
    expect(authz.rulesFor(alice, 'other').resource).toEqual([]);
  });
});
