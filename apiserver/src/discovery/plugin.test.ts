import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { ALL_RESOURCES } from '@mk8s/shared';
import { discoveryRoutes } from './plugin.js';
import { OPENAPI_V2_PROTOBUF_TYPE } from './openapi-v2.js';

const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
const KUBECTL_132 = `${V2},${V2BETA1},application/json`;
const KUBECTL_127 = `${V2BETA1},application/json`;

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  await app.register(discoveryRoutes, { resources: ALL_RESOURCES, serverAddress: '10.0.0.1:6443' });
  // A resource route like the lead's: must not be shadowed by discovery routes.
  app.get('/apis/:group/:version/namespaces/:namespace/:plural', async (req) => ({ route: 'resource', params: req.params }));
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

const get = (url: string, accept?: string) => app.inject({ method: 'GET', url, headers: accept ? { accept } : {} });

describe('discoveryRoutes', () => {
  it('serves /version', async () => {
    const res = await get('/version?timeout=32s', 'application/json, */*');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0-mk8s', gitTreeState: 'clean', platform: 'linux/amd64' });
  });

  it.each<[string, string, string | undefined, string, string]>([
    ['/api', 'kubectl 1.32', KUBECTL_132, V2, 'APIGroupDiscoveryList'],
    ['/api', 'kubectl 1.27', KUBECTL_127, V2BETA1, 'APIGroupDiscoveryList'],
    ['/api', 'plain JSON', 'application/json', 'application/json', 'APIVersions'],
    ['/api', 'no Accept', undefined, 'application/json', 'APIVersions'],
    ['/apis', 'kubectl 1.32', KUBECTL_132, V2, 'APIGroupDiscoveryList'],
    ['/apis', 'kubectl 1.27', KUBECTL_127, V2BETA1, 'APIGroupDiscoveryList'],
    ['/apis', 'plain JSON', 'application/json, */*', 'application/json', 'APIGroupList'],
  ])('%s for %s', async (url, _who, accept, contentType, kind) => {
    const res = await get(`${url}?timeout=32s`, accept);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(contentType);
    expect(res.headers.vary).toBe('Accept');
    expect(res.json().kind).toBe(kind);
  });

  it('answers aggregated /apis in the version asked for', async () => {
    expect((await get('/apis', KUBECTL_132)).json().apiVersion).toBe('apidiscovery.k8s.io/v2');
    expect((await get('/apis', KUBECTL_127)).json().apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
  });

  it('reports the configured server address', async () => {
    expect((await get('/api')).json().serverAddressByClientCIDRs).toEqual([{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }]);
  });

  it.each([
    ['/api/v1', 'v1', 'pods'],
    ['/apis/apps/v1', 'apps/v1', 'deployments'],
    ['/apis/autoscaling/v2', 'autoscaling/v2', 'horizontalpodautoscalers'],
    ['/apis/metrics.k8s.io/v1beta1', 'metrics.k8s.io/v1beta1', 'pods'],
    ['/apis/authentication.k8s.io/v1', 'authentication.k8s.io/v1', 'tokenreviews'],
  ])('serves the APIResourceList at %s', async (url, groupVersion, resource) => {
    const res = await get(url, 'application/json');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ kind: 'APIResourceList', groupVersion });
    expect(body.resources.map((r: { name: string }) => r.name)).toContain(resource);
  });

  it('serves /apis/<group> as an APIGroup', async () => {
    const res = await get('/apis/apps');
    expect(res.json()).toEqual({
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
  });

  it('leaves unknown group-versions and resource paths to other routes', async () => {
    expect((await get('/apis/apps/v2')).statusCode).toBe(404);
    expect((await get('/apis/widgets.example.com/v1')).statusCode).toBe(404);
    const res = await get('/apis/apps/v1/namespaces/default/deployments');
    expect(res.json()).toEqual({ route: 'resource', params: { group: 'apps', version: 'v1', namespace: 'default', plural: 'deployments' } });
  });

  it('serves the OpenAPI v3 index and documents, immutable when the hash matches', async () => {
    const index = await get('/openapi/v3?timeout=32s', 'application/json, */*');
    expect(index.statusCode).toBe(200);
    const url: string = index.json().paths['apis/apps/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);

    const doc = await get(`${url}&timeout=32s`, 'application/json');
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toBe('application/json');
    expect(doc.headers['cache-control']).toBe('public, immutable, max-age=31536000');
    expect(doc.json().openapi).toBe('3.0.0');
    expect(doc.json().paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });

    const stale = await get('/openapi/v3/apis/apps/v1?hash=OLD');
    expect(stale.statusCode).toBe(200);
    expect(stale.headers['cache-control']).toBe('no-cache, private');
  });

  it('answers an unknown OpenAPI group-version with a NotFound Status', async () => {
    const res = await get('/openapi/v3/apis/widgets.example.com/v1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
  });

  it('serves an empty OpenAPI v2 document as protobuf or JSON', async () => {
    const pb = await get('/openapi/v2?timeout=32s', OPENAPI_V2_PROTOBUF_TYPE);
    expect(pb.statusCode).toBe(200);
    expect(pb.headers['content-type']).toBe(OPENAPI_V2_PROTOBUF_TYPE);
    expect(pb.rawPayload[0]).toBe(0x0a);
    const json = await get('/openapi/v2', 'application/json');
    expect(json.json()).toMatchObject({ swagger: '2.0', paths: {}, definitions: {} });
  });
});
