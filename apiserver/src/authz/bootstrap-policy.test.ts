import { describe, expect, it } from 'vitest';
import { validateClusterRole, validateClusterRoleBinding } from '../validation/rbac.js';
import { requestAttributes } from './attributes.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.js';
import { RbacAuthorizer } from './rbac.js';

const roles = bootstrapClusterRoles();
const bindings = bootstrapClusterRoleBindings();
const authz = new RbacAuthorizer({
  clusterRoleBindings: () => bindings,
  roleBindings: () => [],
  role: () => undefined,
  clusterRole: (name) => roles.find((r) => r.metadata.name === name),
});

/** The groups deploy/pki.sh writes into each component's token (plus the one every user gets). */
const component = (name: string, group: string) => ({ name, uid: name, groups: [group, 'system:authenticated'] });
const scheduler = component('kube-scheduler', 'system:kube-scheduler');
const kubelet = component('kubelet', 'system:nodes');
const proxy = component('kube-proxy', 'system:kube-proxy');
const controllers = component('kube-controller-manager', 'system:kube-controller-manager');
const apiserver = component('kube-apiserver', 'system:kube-apiserver');
const someone = { name: 'someone', uid: 's', groups: ['system:authenticated'] };

describe('the bootstrap policy', () => {
  it('is valid, uniquely named, and binds only roles it defines', () => {
    expect(new Set(roles.map((r) => r.metadata.name)).size).toBe(roles.length);
    for (const r of roles) expect(validateClusterRole(r), r.metadata.name).toEqual([]);
    for (const b of bindings) {
      expect(validateClusterRoleBinding(b), b.metadata.name).toEqual([]);
      expect(roles.some((r) => r.metadata.name === b.roleRef.name), b.metadata.name).toBe(true);
    }
  });

  it.each([
    { who: 'anyone', user: someone, method: 'GET', url: '/apis/apps/v1', want: true },
    { who: 'anyone', user: someone, method: 'POST', url: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', want: true },
    { who: 'anyone', user: someone, method: 'GET', url: '/api/v1/namespaces/default/pods', want: false },
    { who: 'anyone', user: someone, method: 'GET', url: '/metrics', want: false },
    { who: 'a scraper', user: component('prometheus', 'system:monitoring'), method: 'GET', url: '/metrics', want: true },
    { who: 'the scheduler', user: scheduler, method: 'POST', url: '/api/v1/namespaces/d/pods/p/binding', want: true },
    { who: 'the scheduler', user: scheduler, method: 'GET', url: '/api/v1/nodes?watch=true', want: true },
    { who: 'the scheduler', user: scheduler, method: 'PUT', url: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler', want: true },
    { who: 'the scheduler', user: scheduler, method: 'DELETE', url: '/api/v1/nodes/n', want: false },
    { who: 'a kubelet', user: kubelet, method: 'PUT', url: '/api/v1/namespaces/d/pods/p/status', want: true },
    { who: 'a kubelet', user: kubelet, method: 'PATCH', url: '/api/v1/nodes/n/status', want: true },
    { who: 'a kubelet', user: kubelet, method: 'POST', url: '/api/v1/namespaces/d/serviceaccounts/default/token', want: true },
    { who: 'a kubelet', user: kubelet, method: 'POST', url: '/apis/authentication.k8s.io/v1/tokenreviews', want: true },
    { who: 'a kubelet', user: kubelet, method: 'POST', url: '/api/v1/namespaces/d/secrets', want: false },
    { who: 'kube-proxy', user: proxy, method: 'GET', url: '/api/v1/endpoints?watch=1', want: true },
    { who: 'kube-proxy', user: proxy, method: 'PUT', url: '/api/v1/namespaces/kube-system/endpoints/kube-dns', want: true },
    { who: 'kube-proxy', user: proxy, method: 'PUT', url: '/api/v1/namespaces/default/endpoints/web', want: false },
    { who: 'the apiserver at a kubelet', user: apiserver, method: 'POST', url: '/api/v1/nodes/n/proxy', want: true },
    { who: 'the apiserver at a kubelet', user: apiserver, method: 'GET', url: '/api/v1/nodes/n/stats', want: true },
    { who: 'kube-proxy at a kubelet', user: proxy, method: 'GET', url: '/api/v1/nodes/n/proxy', want: false },
    { who: 'the controller-manager', user: controllers, method: 'DELETE', url: '/apis/apps/v1/namespaces/d/replicasets/r', want: true },
  ])('$who: $method $url -> $want', ({ user, method, url, want }) => {
    expect(authz.authorize(requestAttributes(user, method, url)).allowed).toBe(want);
  });
});
