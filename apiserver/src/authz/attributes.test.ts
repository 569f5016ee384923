import { describe, expect, it } from 'vitest';
import { requestAttributes } from './attributes.js';

const user = { name: 'alice', uid: 'alice', groups: ['devs'] };

describe('requestAttributes', () => {
  it.each([
    { method: 'GET', url: '/api/v1/namespaces/ns/pods', want: { verb: 'list', namespace: 'ns', resource: 'pods', name: '' } },
    { method: 'GET', url: '/api/v1/namespaces/ns/pods?watch=true&resourceVersion=5', want: { verb: 'watch', namespace: 'ns', resource: 'pods' } },
    { method: 'GET', url: '/api/v1/namespaces/ns/pods?watch=false', want: { verb: 'list' } },
    { method: 'GET', url: '/api/v1/namespaces/ns/pods/web', want: { verb: 'get', name: 'web' } },
    { method: 'GET', url: '/api/v1/pods', want: { verb: 'list', namespace: '', resource: 'pods' } },
    { method: 'POST', url: '/api/v1/namespaces/ns/pods', want: { verb: 'create', resource: 'pods' } },
    { method: 'PUT', url: '/api/v1/namespaces/ns/pods/web/status', want: { verb: 'update', subresource: 'status', name: 'web' } },
    { method: 'PATCH', url: '/apis/apps/v1/namespaces/ns/deployments/web/scale', want: { verb: 'patch', apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments', subresource: 'scale' } },
    { method: 'DELETE', url: '/api/v1/namespaces/ns/pods/web', want: { verb: 'delete' } },
    { method: 'DELETE', url: '/api/v1/namespaces/ns/pods?labelSelector=a%3Db', want: { verb: 'deletecollection' } },
    { method: 'GET', url: '/api/v1/namespaces/ns/pods/web/log', want: { verb: 'get', subresource: 'log' } },
    { method: 'GET', url: '/api/v1/namespaces/ns/pods/web/exec?command=sh', want: { verb: 'create', subresource: 'exec' } },
    { method: 'POST', url: '/api/v1/namespaces/ns/pods/web/portforward', want: { verb: 'create', subresource: 'portforward' } },
    { method: 'GET', url: '/api/v1/namespaces/ns', want: { verb: 'get', resource: 'namespaces', name: 'ns', namespace: 'ns' } },
    { method: 'GET', url: '/api/v1/namespaces', want: { verb: 'list', resource: 'namespaces', namespace: '' } },
    { method: 'PUT', url: '/api/v1/namespaces/ns/finalize', want: { verb: 'update', resource: 'namespaces', subresource: 'finalize', namespace: 'ns' } },
    { method: 'GET', url: '/apis/rbac.authorization.k8s.io/v1/clusterroles/view', want: { verb: 'get', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'view', namespace: '' } },
  ])('$method $url', ({ method, url, want }) => {
    const a = requestAttributes(user, method, url);
    expect(a.resourceRequest).toBe(true);
    expect(a).toMatchObject(want);
    expect(a.user).toBe(user);
  });

  it.each([
    { method: 'GET', url: '/api', verb: 'get', path: '/api' },
    { method: 'GET', url: '/api/v1', verb: 'get', path: '/api/v1' },
    { method: 'GET', url: '/apis/apps/v1?timeout=32s', verb: 'get', path: '/apis/apps/v1' },
    { method: 'GET', url: '/openapi/v3', verb: 'get', path: '/openapi/v3' },
    { method: 'GET', url: '/metrics', verb: 'get', path: '/metrics' },
    { method: 'POST', url: '/logs', verb: 'post', path: '/logs' },
    { method: 'GET', url: '/api/v1/namespaces/%E0%A4%A', verb: 'get', path: '/api/v1/namespaces/%E0%A4%A' },
  ])('non-resource: $method $url', ({ method, url, verb, path }) => {
    expect(requestAttributes(user, method, url)).toMatchObject({ resourceRequest: false, verb, path });
  });
});
