import { describe, expect, it } from 'vitest';
import { requestAttributes } from './attributes.js';
import { Authorizer, forbidden, parseAuthorizationModes } from './authorizer.js';
import { RbacAuthorizer } from './rbac.js';

const bob = { name: 'bob', uid: 'b', groups: ['system:authenticated'] };
const empty = new RbacAuthorizer({ clusterRoleBindings: () => [], roleBindings: () => [], role: () => undefined, clusterRole: () => undefined });

describe('parseAuthorizationModes', () => {
  it('reads the modes in order', () => {
    expect(parseAuthorizationModes('RBAC')).toEqual(['RBAC']);
    expect(parseAuthorizationModes('RBAC, AlwaysAllow')).toEqual(['RBAC', 'AlwaysAllow']);
  });
  it.each(['', 'Node', 'rbac', 'RBAC,ABAC'])('refuses %j', (flag) => {
    expect(() => parseAuthorizationModes(flag)).toThrow(/--authorization-mode/);
  });
});

describe('Authorizer', () => {
  it('AlwaysAllow allows anyone', () => {
    expect(new Authorizer(['AlwaysAllow']).authorize(requestAttributes(bob, 'DELETE', '/api/v1/nodes/n')).allowed).toBe(true);
  });
  it('RBAC with no bindings refuses, system:masters still passes, and a later AlwaysAllow catches what RBAC refuses', () => {
    const a = requestAttributes(bob, 'GET', '/api/v1/namespaces/ns/pods');
    expect(new Authorizer(['RBAC'], empty).authorize(a).allowed).toBe(false);
    expect(new Authorizer(['RBAC'], empty).authorize({ ...a, user: { ...bob, groups: ['system:masters'] } }).allowed).toBe(true);
    expect(new Authorizer(['RBAC', 'AlwaysAllow'], empty).authorize(a).allowed).toBe(true);
  });
  it('RBAC needs its role source', () => {
    expect(() => new Authorizer(['RBAC'])).toThrow(/role source/);
  });
});

describe('forbidden', () => {
  it.each([
    { method: 'GET', url: '/api/v1/namespaces/ns/pods', msg: 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "ns"', details: { kind: 'pods' } },
    {
      method: 'GET',
      url: '/apis/apps/v1/namespaces/ns/deployments/web',
      msg: 'deployments.apps "web" is forbidden: User "bob" cannot get resource "deployments" in API group "apps" in the namespace "ns"',
      details: { kind: 'deployments', group: 'apps', name: 'web' },
    },
    { method: 'GET', url: '/api/v1/nodes', msg: 'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope', details: { kind: 'nodes' } },
    {
      method: 'GET',
      url: '/api/v1/namespaces/ns/pods/p/log',
      msg: 'pods "p" is forbidden: User "bob" cannot get resource "pods/log" in API group "" in the namespace "ns"',
      details: { kind: 'pods', name: 'p' },
    },
    { method: 'GET', url: '/metrics', msg: 'forbidden: User "bob" cannot get path "/metrics"', details: undefined },
  ])('$method $url', ({ method, url, msg, details }) => {
    const err = forbidden(requestAttributes(bob, method, url), '');
    expect(err.code).toBe(403);
    expect(err.reason).toBe('Forbidden');
    expect(err.message).toBe(msg);
    expect(err.details).toEqual(details);
  });
  it('appends the authorizer reason', () => {
    expect(forbidden(requestAttributes(bob, 'GET', '/metrics'), 'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found').message).toBe(
      'forbidden: User "bob" cannot get path "/metrics": RBAC: clusterrole.rbac.authorization.k8s.io "x" not found',
    );
  });
});
