import { describe, expect, it } from 'vitest';
import { ALL_RESOURCES } from '@mk8s/shared';
import { negotiateDiscovery, parseAccept } from './accept.js';
import { servedResources } from './api-resources.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';

const served = servedResources(ALL_RESOURCES);
const FULL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

describe('negotiateDiscovery', () => {
  it.each<[string, string | undefined, string]>([
    ['kubectl 1.30+', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', 'v2'],
    ['kubectl 1.27', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', 'v2beta1'],
    ['params in any order', 'application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io', 'v2'],
    ['plain JSON', 'application/json', 'plain'],
    ['plain JSON first', 'application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', 'plain'],
    ['no header', undefined, 'plain'],
    ['wildcards', 'application/json, */*', 'plain'],
    ['unknown aggregated version', 'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList', 'plain'],
    ['protobuf aggregated then JSON', 'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', 'plain'],
    ['wrong group', 'application/json;g=meta.k8s.io;v=v2;as=APIGroupDiscoveryList', 'plain'],
    ['q prefers v2beta1', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList', 'v2beta1'],
  ])('%s', (_n, accept, want) => {
    expect(negotiateDiscovery(accept)).toBe(want);
  });

  it('parses quoted parameters and drops q=0 ranges', () => {
    expect(parseAccept('text/plain;q=0, application/json; charset="utf-8"')).toEqual([{ type: 'application/json', params: { charset: 'utf-8' }, q: 1 }]);
  });
});

describe('legacy discovery', () => {
  it('lists the core version with the server address', () => {
    expect(apiVersions('10.0.0.1:6443')).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
    });
  });

  it('lists every named group with its preferred version, extras last', () => {
    const list = apiGroupList(served);
    expect(list.kind).toBe('APIGroupList');
    expect(list.groups.map((g) => g.name)).toEqual(['apps', 'batch', 'coordination.k8s.io', 'discovery.k8s.io', 'autoscaling', 'storage.k8s.io', 'rbac.authorization.k8s.io', 'authentication.k8s.io', 'metrics.k8s.io']);
    expect(list.groups.find((g) => g.name === 'apps')).toEqual({
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
    expect(apiGroup('metrics.k8s.io', served)?.preferredVersion).toEqual({ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' });
    expect(apiGroup('nope', served)).toBeUndefined();
  });

  it('describes core resources and their subresources', () => {
    const list = apiResourceList('', 'v1', served);
    expect(list).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const byName = new Map(list.resources.map((r) => [r.name, r]));
    expect(byName.get('pods')).toEqual({ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: FULL, shortNames: ['po'], categories: ['all'] });
    expect(byName.get('pods/log')).toEqual({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    expect(byName.get('pods/exec')).toMatchObject({ kind: 'PodExecOptions', verbs: ['create', 'get'] });
    expect(byName.get('pods/binding')).toMatchObject({ kind: 'Binding', verbs: ['create'] });
    expect(byName.get('pods/eviction')).toMatchObject({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    expect(byName.get('pods/status')).toMatchObject({ kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect(byName.get('replicationcontrollers/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(byName.get('namespaces/finalize')).toMatchObject({ namespaced: false, kind: 'Namespace', verbs: ['update'] });
    expect(byName.get('nodes')).toMatchObject({ namespaced: false, shortNames: ['no'] });
    expect(byName.get('serviceaccounts')).toMatchObject({ namespaced: true, kind: 'ServiceAccount', shortNames: ['sa'], verbs: FULL });
    expect(byName.get('serviceaccounts/token')).toMatchObject({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
    expect(byName.get('secrets')).not.toHaveProperty('shortNames');
    expect(byName.get('events')).toMatchObject({ shortNames: ['ev'] });
  });

  it('describes apps/v1 with scale subresources', () => {
    const list = apiResourceList('apps', 'v1', served);
    expect(list.groupVersion).toBe('apps/v1');
    expect(list.resources.map((r) => r.name)).toEqual([
      'replicasets',
      'replicasets/status',
      'replicasets/scale',
      'deployments',
      'deployments/status',
      'deployments/scale',
      'daemonsets',
      'daemonsets/status',
    ]);
    expect(list.resources.find((r) => r.name === 'deployments')).toMatchObject({ shortNames: ['deploy'], categories: ['all'], verbs: FULL });
    expect(list.resources.find((r) => r.name === 'daemonsets')).toMatchObject({ singularName: 'daemonset', kind: 'DaemonSet', shortNames: ['ds'], categories: ['all'], verbs: FULL });
  });

  it('describes rbac.authorization.k8s.io/v1 with two namespaced and two cluster kinds, no subresources', () => {
    const list = apiResourceList('rbac.authorization.k8s.io', 'v1', served);
    expect(list.groupVersion).toBe('rbac.authorization.k8s.io/v1');
    expect(list.resources.map((r) => [r.name, r.kind, r.namespaced])).toEqual([
      ['roles', 'Role', true],
      ['rolebindings', 'RoleBinding', true],
      ['clusterroles', 'ClusterRole', false],
      ['clusterrolebindings', 'ClusterRoleBinding', false],
    ]);
    for (const r of list.resources) expect(r, r.name).toMatchObject({ verbs: FULL });
    expect(list.resources.find((r) => r.name === 'clusterrolebindings')).toMatchObject({ singularName: 'clusterrolebinding' });
  });

  it('gives the extras their own verbs', () => {
    expect(apiResourceList('metrics.k8s.io', 'v1beta1', served).resources).toEqual([
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
    ]);
    expect(apiResourceList('authentication.k8s.io', 'v1', served).resources).toEqual([
      { name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'] },
      { name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create'] },
    ]);
  });
});

describe('aggregated discovery', () => {
  it.each(['v2', 'v2beta1'] as const)('serves the core group for /api as %s', (version) => {
    const doc = aggregatedDiscovery(served, 'legacy', version);
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    expect(doc.apiVersion).toBe(`apidiscovery.k8s.io/${version}`);
    expect(doc.items).toHaveLength(1);
    const [core] = doc.items;
    expect(core?.metadata).toEqual({ creationTimestamp: null });
    expect(core?.versions.map((v) => [v.version, v.freshness])).toEqual([['v1', 'Current']]);
    const pods = core?.versions[0]?.resources.find((r) => r.resource === 'pods');
    expect(pods).toEqual({
      resource: 'pods',
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      verbs: FULL,
      shortNames: ['po'],
      categories: ['all'],
      subresources: [
        { subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
        { subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
        { subresource: 'exec', responseKind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] },
        { subresource: 'attach', responseKind: { group: '', version: 'v1', kind: 'PodAttachOptions' }, verbs: ['create', 'get'] },
        { subresource: 'portforward', responseKind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, verbs: ['create', 'get'] },
        { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
      ],
    });
    expect(core?.versions[0]?.resources.find((r) => r.resource === 'nodes')?.scope).toBe('Cluster');
  });

  it('serves every named group for /apis', () => {
    const doc = aggregatedDiscovery(served, 'apis', 'v2');
    expect(doc.items.map((i) => i.metadata.name)).toEqual(['apps', 'batch', 'coordination.k8s.io', 'discovery.k8s.io', 'autoscaling', 'storage.k8s.io', 'rbac.authorization.k8s.io', 'authentication.k8s.io', 'metrics.k8s.io']);
    const deploy = doc.items[0]?.versions[0]?.resources.find((r) => r.resource === 'deployments');
    expect(deploy?.subresources?.find((s) => s.subresource === 'scale')).toEqual({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });
    const metrics = doc.items.find((i) => i.metadata.name === 'metrics.k8s.io');
    expect(metrics?.versions[0]?.resources.map((r) => [r.resource, r.responseKind.kind, r.scope, r.verbs])).toEqual([
      ['pods', 'PodMetrics', 'Namespaced', ['get', 'list']],
      ['nodes', 'NodeMetrics', 'Cluster', ['get', 'list']],
    ]);
  });

  it('does not duplicate extras already in the table', () => {
    const extra = { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true, verbs: ['get'] };
    expect(servedResources([...ALL_RESOURCES, extra]).filter((r) => r.group === 'metrics.k8s.io' && r.plural === 'pods')).toEqual([extra]);
  });
});
