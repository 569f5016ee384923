import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '@mk8s/shared';
import { Authorizer } from './authorizer.js';
import { impersonate } from './impersonation.js';
import { RbacAuthorizer } from './rbac.js';

const G = 'rbac.authorization.k8s.io';
const boss = { name: 'boss', uid: 'b', groups: ['system:authenticated'] };

/** An RBAC authorizer under which `boss` holds `rules` cluster-wide. */
function authorizerWith(rules: PolicyRule[]): Authorizer {
  return new Authorizer(
    ['RBAC'],
    new RbacAuthorizer({
      clusterRoleBindings: () => [{ metadata: { name: 'b' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'imp' }, subjects: [{ kind: 'User', name: 'boss' }] }],
      roleBindings: () => [],
      role: () => undefined,
      clusterRole: (name) => (name === 'imp' ? { metadata: { name }, rules } : undefined),
    }),
  );
}

describe('impersonate', () => {
  const anyone = authorizerWith([{ verbs: ['impersonate'], apiGroups: ['', 'authentication.k8s.io'], resources: ['users', 'groups', 'serviceaccounts', 'uids', 'userextras/scopes'] }]);

  it('without headers is the authenticated user', () => {
    expect(impersonate(boss, { authorization: 'Bearer x' }, anyone)).toBe(boss);
  });

  it('acts as a user with the given groups, plus system:authenticated', () => {
    expect(impersonate(boss, { 'impersonate-user': 'jane', 'impersonate-group': ['devs', 'ops'] }, anyone)).toEqual({ name: 'jane', uid: '', groups: ['devs', 'ops', 'system:authenticated'] });
  });

  it('a service account gets its groups unless groups are given', () => {
    expect(impersonate(boss, { 'impersonate-user': 'system:serviceaccount:team:builder' }, anyone).groups).toEqual([
      'system:serviceaccounts',
      'system:serviceaccounts:team',
      'system:authenticated',
    ]);
    expect(impersonate(boss, { 'impersonate-user': 'system:serviceaccount:team:builder', 'impersonate-group': 'x' }, anyone).groups).toEqual(['x', 'system:authenticated']);
  });

  it('carries uid and extras', () => {
    expect(impersonate(boss, { 'impersonate-user': 'jane', 'impersonate-uid': '42', 'impersonate-extra-scopes': ['view', 'edit'] }, anyone)).toEqual({
      name: 'jane',
      uid: '42',
      groups: ['system:authenticated'],
      extra: { scopes: ['view', 'edit'] },
    });
  });

  it('refuses groups without a user (400)', () => {
    expect(() => impersonate(boss, { 'impersonate-group': 'devs' }, anyone)).toThrow(expect.objectContaining({ code: 400, reason: 'BadRequest' }));
  });

  it.each([
    { what: 'a user', headers: { 'impersonate-user': 'jane' }, message: 'users "jane" is forbidden: User "boss" cannot impersonate resource "users" in API group "" at the cluster scope' },
    {
      what: 'a service account',
      headers: { 'impersonate-user': 'system:serviceaccount:team:builder' },
      message: 'serviceaccounts "builder" is forbidden: User "boss" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team"',
    },
  ])('refuses to impersonate $what without the impersonate verb (403)', ({ headers, message }) => {
    const nothing = authorizerWith([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
    expect(() => impersonate(boss, headers, nothing)).toThrow(expect.objectContaining({ code: 403, reason: 'Forbidden', message }));
  });

  it('checks every group: a user may be allowed while a group is not', () => {
    const usersOnly = authorizerWith([{ verbs: ['impersonate'], apiGroups: [''], resources: ['users'] }]);
    expect(impersonate(boss, { 'impersonate-user': 'jane' }, usersOnly).name).toBe('jane');
    expect(() => impersonate(boss, { 'impersonate-user': 'jane', 'impersonate-group': 'system:masters' }, usersOnly)).toThrow(/groups "system:masters" is forbidden/);
  });
});
