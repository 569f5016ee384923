/**
 * Fastify routes for everything kubectl reads besides objects: /version, legacy and
 * aggregated discovery, OpenAPI v3, and an empty OpenAPI v2 document. Only exact paths are
 * registered (e.g. `/apis/apps/v1`), so the lead's parametric resource routes stay free and
 * an unknown group-version falls through to the app's 404 handler. Documents are built once
 * at registration; the resource table is static for the life of the process.
 * Use: `await app.register(discoveryRoutes, { resources: ALL_RESOURCES })` or call directly.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '@mk8s/shared';
import { AGGREGATED_CONTENT_TYPE, negotiateDiscovery } from './accept.js';
import { groupVersionsOf, servedResources, type DiscoveryResource } from './api-resources.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { openapiV3GroupVersion, openapiV3Hash, openapiV3Key } from './openapi.js';
import { OPENAPI_V2_PROTOBUF_TYPE, openapiV2Json, openapiV2Protobuf } from './openapi-v2.js';
import { versionInfo } from './version.js';

export interface DiscoveryRoutesOptions {
  /** The resource table (ALL_RESOURCES); the extras below are added unless already present. */
  resources: DiscoveryResource[];
  /** Group-versions served outside the table; default EXTRA_RESOURCES (metrics, tokenreviews). */
  extras?: DiscoveryResource[];
  /** Address reported in /api's serverAddressByClientCIDRs; default: the request's Host. */
  serverAddress?: string;
}

const JSON_CT = 'application/json';

export function notFoundStatus(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/**
 * Bodies go out as Buffers so fastify keeps our Content-Type byte for byte (for strings it
 * re-quotes media-type parameters and appends a charset; clients compare these types).
 */
function sendRaw(reply: FastifyReply, code: number, body: string | Buffer, contentType: string): FastifyReply {
  return reply.code(code).header('content-type', contentType).send(typeof body === 'string' ? Buffer.from(body) : body);
}

function sendJson(reply: FastifyReply, body: unknown, contentType = JSON_CT): FastifyReply {
  return sendRaw(reply, 200, JSON.stringify(body), contentType);
}

function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return sendRaw(reply, err.code, JSON.stringify(err.toStatus()), JSON_CT);
}

export async function discoveryRoutes(app: FastifyInstance, opts: DiscoveryRoutesOptions): Promise<void> {
  const served = servedResources(opts.resources, opts.extras);
  const gvs = groupVersionsOf(served);

  // Pre-render OpenAPI documents: the index needs their hashes anyway.
  const openapi = new Map<string, { body: string; hash: string }>();
  for (const gv of gvs) {
    const doc = openapiV3GroupVersion(gv.group, gv.version, served);
    openapi.set(openapiV3Key(gv.group, gv.version), { body: JSON.stringify(doc), hash: openapiV3Hash(doc) });
  }
  const openapiIndex = { paths: Object.fromEntries([...openapi].map(([key, d]) => [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${d.hash}` }])) };

  const discovery = (which: 'legacy' | 'apis', plain: (req: FastifyRequest) => unknown) => async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('vary', 'Accept');
    const format = negotiateDiscovery(req.headers.accept);
    if (format === 'plain') return sendJson(reply, plain(req));
    return sendJson(reply, aggregatedDiscovery(served, which, format), AGGREGATED_CONTENT_TYPE[format]);
  };

  app.get('/version', async (_req, reply) => sendJson(reply, versionInfo()));
  app.get('/api', discovery('legacy', (req) => apiVersions(opts.serverAddress ?? req.host ?? '127.0.0.1')));
  app.get('/apis', discovery('apis', () => apiGroupList(served)));

  for (const gv of gvs) {
    const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
    const list = apiResourceList(gv.group, gv.version, served);
    app.get(path, async (_req, reply) => sendJson(reply, list));
  }
  for (const group of new Set(gvs.map((gv) => gv.group).filter((g) => g !== ''))) {
    const doc = apiGroup(group, served);
    app.get(`/apis/${group}`, async (_req, reply) => sendJson(reply, doc));
  }

  app.get('/openapi/v3', async (_req, reply) => sendJson(reply.header('cache-control', 'no-cache, private'), openapiIndex));
  app.get('/openapi/v3/*', async (req: FastifyRequest<{ Params: { '*': string }; Querystring: { hash?: string } }>, reply) => {
    const doc = openapi.get(req.params['*'].replace(/\/+$/, ''));
    if (!doc) return sendError(reply, notFoundStatus());
    const immutable = req.query.hash === doc.hash;
    reply.header('cache-control', immutable ? 'public, immutable, max-age=31536000' : 'no-cache, private').header('etag', `"${doc.hash}"`);
    return sendRaw(reply, 200, doc.body, JSON_CT);
  });
  // An empty v2 document: kubectl 1.27/1.28 refuse `create -f` without one (see openapi-v2.ts).
  const v2Protobuf = openapiV2Protobuf();
  app.get('/openapi/v2', async (req, reply) => {
    if ((req.headers.accept ?? '').includes('protobuf')) return sendRaw(reply, 200, v2Protobuf, OPENAPI_V2_PROTOBUF_TYPE);
    return sendJson(reply, openapiV2Json());
  });
}
