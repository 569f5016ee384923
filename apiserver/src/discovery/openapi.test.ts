import { describe, expect, it } from 'vitest';
import { ALL_RESOURCES } from '@mk8s/shared';
import { servedResources } from './api-resources.js';
import { openapiV3GroupVersion, openapiV3Hash, openapiV3Index, type OpenAPIDocument, type Operation } from './openapi.js';
import { openapiV2Protobuf } from './openapi-v2.js';

const served = servedResources(ALL_RESOURCES);
const core = openapiV3GroupVersion('', 'v1', served);
const apps = openapiV3GroupVersion('apps', 'v1', served);

function operations(doc: OpenAPIDocument): [string, string, Operation][] {
  const out: [string, string, Operation][] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (op) out.push([path, method, op]);
    }
  }
  return out;
}

/** Every `$ref` in the document, wherever it appears. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('openapiV3Index', () => {
  it('lists every served group-version with a content hash', () => {
    const index = openapiV3Index(served);
    expect(Object.keys(index.paths)).toEqual([
      'api/v1',
      'apis/apps/v1',
      'apis/batch/v1',
      'apis/coordination.k8s.io/v1',
      'apis/discovery.k8s.io/v1',
      'apis/autoscaling/v2',
      'apis/storage.k8s.io/v1',
      'apis/rbac.authorization.k8s.io/v1',
      'apis/authentication.k8s.io/v1',
      'apis/metrics.k8s.io/v1beta1',
    ]);
    expect(index.paths['api/v1']?.serverRelativeURL).toBe(`/openapi/v3/api/v1?hash=${openapiV3Hash(core)}`);
    expect(openapiV3Hash(core)).toMatch(/^[0-9A-F]{128}$/);
    expect(openapiV3Hash(core)).not.toBe(openapiV3Hash(apps));
  });

  it('is deterministic', () => {
    expect(openapiV3Index(served)).toEqual(openapiV3Index(servedResources(ALL_RESOURCES)));
  });
});

describe('openapiV3GroupVersion', () => {
  it.each([
    ['/api/v1/namespaces/{namespace}/pods', ['get', 'post', 'delete']],
    ['/api/v1/namespaces/{namespace}/pods/{name}', ['get', 'put', 'delete', 'patch']],
    ['/api/v1/pods', ['get']],
    ['/api/v1/namespaces/{namespace}/pods/{name}/status', ['get', 'put', 'patch']],
    ['/api/v1/namespaces/{namespace}/pods/{name}/log', ['get']],
    ['/api/v1/namespaces/{namespace}/pods/{name}/exec', ['get', 'post']],
    ['/api/v1/namespaces/{namespace}/pods/{name}/binding', ['post']],
    ['/api/v1/nodes', ['get', 'post', 'delete']],
    ['/api/v1/nodes/{name}', ['get', 'put', 'delete', 'patch']],
    ['/api/v1/namespaces/{name}/finalize', ['put']],
  ])('core path %s has %j', (path, methods) => {
    const item = core.paths[path];
    expect(item).toBeDefined();
    expect(['get', 'put', 'post', 'delete', 'patch'].filter((m) => item?.[m as 'get'])).toEqual(methods);
  });

  it('gives every operation a GVK and every write the kubectl query parameters', () => {
    for (const doc of [core, apps]) {
      for (const [path, method, op] of operations(doc)) {
        expect(op['x-kubernetes-group-version-kind'], `${method} ${path}`).toEqual(expect.objectContaining({ kind: expect.any(String) }));
        expect(Object.keys(op['x-kubernetes-group-version-kind']).sort()).toEqual(['group', 'kind', 'version']);
        if (method === 'put' || method === 'patch' || (method === 'post' && !path.endsWith('/exec'))) {
          expect(op.parameters?.map((p) => p.name), `${method} ${path}`).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation']));
        }
      }
    }
  });

  it('finds the PATCH operation kubectl looks for, per kind', () => {
    const patchFor = (doc: OpenAPIDocument, kind: string) =>
      operations(doc).filter(([, m, op]) => m === 'patch' && op['x-kubernetes-group-version-kind'].kind === kind);
    expect(patchFor(apps, 'Deployment').map(([p]) => p)).toEqual([
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}',
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status',
    ]);
    expect(patchFor(apps, 'Scale').map(([p]) => p)).toEqual([
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale',
      '/apis/apps/v1/namespaces/{namespace}/replicasets/{name}/scale',
    ]);
    const [, , podPatch] = patchFor(core, 'Pod')[0] ?? [];
    expect(podPatch?.['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    // No strategic-merge-patch: kubectl apply then uses its compiled-in patch metadata.
    expect(Object.keys(podPatch?.requestBody?.content ?? {})).toEqual(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  });

  it('has a schema with a GVK list for every kind, and resolves every reference', () => {
    const schemas = core.components.schemas;
    expect(schemas['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind']).toEqual([{ group: '', version: 'v1', kind: 'Pod' }]);
    expect(schemas['io.k8s.api.core.v1.PodList']?.['x-kubernetes-group-version-kind']).toEqual([{ group: '', version: 'v1', kind: 'PodList' }]);
    expect(schemas['io.k8s.api.policy.v1.Eviction']?.['x-kubernetes-group-version-kind']).toEqual([{ group: 'policy', version: 'v1', kind: 'Eviction' }]);
    expect(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
    for (const doc of [core, apps, openapiV3GroupVersion('metrics.k8s.io', 'v1beta1', served)]) {
      for (const ref of refs(doc)) {
        expect(ref.startsWith('#/components/schemas/')).toBe(true);
        expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
      }
    }
  });

  it('describes fields for kubectl explain', () => {
    const pod = core.components.schemas['io.k8s.api.core.v1.Pod'];
    expect(pod?.type).toBe('object');
    expect(Object.keys(pod?.properties ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(pod?.properties?.metadata).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] });
    expect(pod?.properties?.status).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodStatus' }] });
    expect(core.components.schemas['io.k8s.api.core.v1.ContainerStatus']?.properties?.restartCount?.type).toBe('integer');
    const container = core.components.schemas['io.k8s.api.core.v1.Container'];
    expect(container?.required).toEqual(['name']);
    expect(container?.properties?.ports).toEqual({
      type: 'array',
      description: 'List of ports to expose from the container.',
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.ContainerPort' },
    });
    expect(core.components.schemas['io.k8s.api.core.v1.ResourceRequirements']?.properties?.limits?.additionalProperties).toEqual({
      $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity',
    });
    // No `type` on int-or-string scalars: explain then prints their names (Quantity, IntOrString).
    expect(core.components.schemas['io.k8s.apimachinery.pkg.api.resource.Quantity']).not.toHaveProperty('type');
    expect(core.components.schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']?.oneOf).toHaveLength(2);
    const cm = core.components.schemas['io.k8s.api.core.v1.ConfigMap'];
    expect(Object.keys(cm?.properties ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable']);
    for (const [name, schema] of Object.entries(core.components.schemas)) {
      if (schema['x-kubernetes-group-version-kind']) expect(schema.description, name).toBeTruthy();
    }
  });

  it('describes batch/v1 Job with its JobSpec and resolves every reference', () => {
    const batch = openapiV3GroupVersion('batch', 'v1', served);
    const job = batch.components.schemas['io.k8s.api.batch.v1.Job'];
    expect(job?.['x-kubernetes-group-version-kind']).toEqual([{ group: 'batch', version: 'v1', kind: 'Job' }]);
    expect(job?.properties?.spec).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.batch.v1.JobSpec' }] });
    const spec = batch.components.schemas['io.k8s.api.batch.v1.JobSpec'];
    expect(spec?.required).toEqual(['template']);
    expect(spec?.properties?.backoffLimit?.type).toBe('integer');
    expect(job?.properties?.status).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.batch.v1.JobStatus' }] });
    for (const ref of refs(batch)) expect(batch.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
  });

  it('describes apps/v1 DaemonSet with its spec, update strategy and status', () => {
    const ds = apps.components.schemas['io.k8s.api.apps.v1.DaemonSet'];
    expect(ds?.['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', version: 'v1', kind: 'DaemonSet' }]);
    expect(ds?.properties?.spec).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DaemonSetSpec' }] });
    expect(ds?.properties?.status).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DaemonSetStatus' }] });
    const spec = apps.components.schemas['io.k8s.api.apps.v1.DaemonSetSpec'];
    expect(spec?.required).toEqual(['selector', 'template']);
    expect(spec?.properties?.updateStrategy).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DaemonSetUpdateStrategy' }] });
    const rolling = apps.components.schemas['io.k8s.api.apps.v1.RollingUpdateDaemonSet'];
    expect(rolling?.properties?.maxSurge).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }] });
    expect(apps.components.schemas['io.k8s.api.apps.v1.DaemonSetStatus']?.required).toEqual(['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady']);
    expect(apps.components.schemas['io.k8s.api.apps.v1.DaemonSetList']?.properties?.items?.items).toEqual({ $ref: '#/components/schemas/io.k8s.api.apps.v1.DaemonSet' });
    for (const ref of refs(apps)) expect(apps.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
  });

  it('describes ServiceAccount, its token subresource and projected volumes', () => {
    const schemas = core.components.schemas;
    const sa = schemas['io.k8s.api.core.v1.ServiceAccount'];
    expect(Object.keys(sa?.properties ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'secrets', 'imagePullSecrets', 'automountServiceAccountToken']);
    expect(sa?.properties?.secrets?.items).toEqual({ $ref: '#/components/schemas/io.k8s.api.core.v1.ObjectReference' });
    const token = core.paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token'];
    expect(token?.post?.['x-kubernetes-group-version-kind']).toEqual({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' });
    expect(token?.post?.operationId).toBe('createCoreV1NamespacedServiceAccountToken');
    expect(schemas['io.k8s.api.authentication.v1.TokenRequest']?.properties?.spec).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.authentication.v1.TokenRequestSpec' }] });
    expect(schemas['io.k8s.api.authentication.v1.TokenRequestStatus']?.required).toEqual(['token', 'expirationTimestamp']);
    expect(schemas['io.k8s.api.core.v1.Volume']?.properties?.projected).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ProjectedVolumeSource' }] });
    expect(schemas['io.k8s.api.core.v1.ServiceAccountTokenProjection']?.required).toEqual(['path']);
    const authn = openapiV3GroupVersion('authentication.k8s.io', 'v1', served);
    expect(authn.paths['/apis/authentication.k8s.io/v1/selfsubjectreviews']?.post?.operationId).toBe('createAuthenticationV1SelfSubjectReview');
    for (const doc of [core, authn]) for (const ref of refs(doc)) expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
  });

  it('describes the rbac.authorization.k8s.io/v1 kinds with their rules, subjects and roleRef', () => {
    const rbac = openapiV3GroupVersion('rbac.authorization.k8s.io', 'v1', served);
    const schemas = rbac.components.schemas;
    const P = 'io.k8s.api.rbac.v1';
    for (const kind of ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']) {
      expect(schemas[`${P}.${kind}`]?.['x-kubernetes-group-version-kind'], kind).toEqual([{ group: 'rbac.authorization.k8s.io', version: 'v1', kind }]);
      expect(schemas[`${P}.${kind}List`]?.properties?.items?.items, kind).toEqual({ $ref: `#/components/schemas/${P}.${kind}` });
    }
    expect(Object.keys(schemas[`${P}.Role`]?.properties ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'rules']);
    expect(Object.keys(schemas[`${P}.ClusterRole`]?.properties ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'aggregationRule', 'rules']);
    expect(schemas[`${P}.ClusterRole`]?.properties?.rules?.items).toEqual({ $ref: `#/components/schemas/${P}.PolicyRule` });
    expect(schemas[`${P}.RoleBinding`]?.required).toEqual(['roleRef']);
    expect(schemas[`${P}.ClusterRoleBinding`]?.properties?.roleRef).toMatchObject({ allOf: [{ $ref: `#/components/schemas/${P}.RoleRef` }] });
    expect(schemas[`${P}.PolicyRule`]?.required).toEqual(['verbs']);
    expect(schemas[`${P}.Subject`]?.required).toEqual(['kind', 'name']);
    expect(schemas[`${P}.RoleRef`]?.required).toEqual(['apiGroup', 'kind', 'name']);
    expect(schemas[`${P}.AggregationRule`]?.properties?.clusterRoleSelectors?.items).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector' });
    expect(rbac.paths['/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings/{name}']?.patch?.['x-kubernetes-group-version-kind']).toEqual({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'RoleBinding',
    });
    expect(rbac.paths['/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}']).toBeDefined();
    for (const ref of refs(rbac)) expect(schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
  });

  it('serves only the requested group-version', () => {
    expect(Object.keys(apps.paths).every((p) => p.startsWith('/apis/apps/v1/'))).toBe(true);
    expect(openapiV3GroupVersion('nope', 'v1', served).paths).toEqual({});
  });
});

describe('openapiV2Protobuf', () => {
  it('encodes an empty Swagger 2.0 document', () => {
    const bytes = openapiV2Protobuf();
    // field 1 (swagger) = "2.0"
    expect([...bytes.subarray(0, 5)]).toEqual([0x0a, 3, 0x32, 0x2e, 0x30]);
    // ends with empty paths (field 8) and definitions (field 9)
    expect([...bytes.subarray(bytes.length - 4)]).toEqual([0x42, 0, 0x4a, 0]);
    expect(bytes.includes(Buffer.from('Kubernetes'))).toBe(true);
  });
});
