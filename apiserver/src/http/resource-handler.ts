/**
 * The generic REST handler: one function serves every kind in the resource table at the
 * real Kubernetes URLs. It resolves the URL to a resource definition, decodes the body,
 * calls the registry, and shapes the reply (an object, a list, a Table, or a watch stream).
 * Subresources live in subresources.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type DeleteOptions, type KubeList, type KubeObject } from '@mk8s/shared';
import { convertV1beta1Pod, isV1beta1Pod } from '../compat/v1beta1.js';
import { applyPatch, patchKindFromContentType } from '../patch/index.js';
import { deleteObject } from '../registry/delete.js';
import type { ResourceDef, WriteContext } from '../registry/resource-def.js';
import { bodyText, decodeObjectBody, decodeOptionalJson } from './body.js';
import { listJson } from './json-cache.js';
import { defKey, type ApiContext } from './context.js';
import { bool, int, isDryRun, str, type Query } from './query.js';
import { parseRequestPath, type RequestInfo } from './request-info.js';
import { handleSubresource } from './subresources.js';
import { serveWatch } from './watch.js';

export interface RequestMeta {
  verb: string;
  resource: string;
  subresource?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    mk8s?: RequestMeta;
    user?: string;
  }
}

export function resolve(ctx: ApiContext, info: RequestInfo): ResourceDef {
  // The seed documents' v1beta1 pods are served by the v1 pods definition.
  const version = info.group === '' && info.version === 'v1beta1' ? 'v1' : info.version;
  const def = ctx.defs.get(defKey(info.group, version, info.resource));
  if (!def) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (!def.namespaced && info.namespace !== undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  return def;
}

function writeContext(req: FastifyRequest, q: Query): WriteContext {
  return { dryRun: isDryRun(q), user: req.user ?? 'system:anonymous', userInfo: req.userInfo };
}

function decodeCreateBody(req: FastifyRequest, info: RequestInfo): unknown {
  const body = decodeObjectBody(req.headers['content-type'], req.body);
  if (info.resource === 'pods' && isV1beta1Pod(body)) return convertV1beta1Pod(body);
  return body;
}

export async function handleResource(ctx: ApiContext, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const path = req.url.split('?')[0]!;
  const info = parseRequestPath(path);
  if (!info) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const served = resolve(ctx, info);
  // A version served from another version's storage converts on the way in and out.
  const conv = served.conversion;
  const def = conv ? conv.storage : served;
  const out = (o: KubeObject): KubeObject => (conv ? conv.fromStorage(o) : o);
  const outList = <L extends { items: KubeObject[] }>(l: L): L => (conv ? { ...l, apiVersion: `${served.group}/${served.version}`, items: l.items.map(out) } : l);
  const inn = (o: unknown, stored?: KubeObject): unknown => (conv ? conv.toStorage(o as KubeObject, stored) : o);
  const q = req.query as Query;
  const method = req.method;
  req.mk8s = { verb: method.toLowerCase(), resource: def.plural, subresource: info.subresource };
  if (info.subresource) {
    if (!info.name) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (!(served.subresources ?? []).includes(info.subresource)) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    return handleSubresource(ctx, req, reply, def, info, q);
  }
  const ns = def.namespaced ? info.namespace : undefined;
  const tables = ctx.tables;
  const asTable = !!tables && tables.wants(req.headers.accept);

  if (info.name === undefined) {
    switch (method) {
      case 'GET': {
        const params = {
          labelSelector: str(q, 'labelSelector') ?? str(q, 'labels'),
          fieldSelector: str(q, 'fieldSelector'),
          resourceVersion: str(q, 'resourceVersion'),
        };
        if (bool(q, 'watch') && q.watch !== undefined) {
          req.mk8s.verb = 'watch';
          await serveWatch(req, reply, def, ns, {
            ...params,
            timeoutSeconds: int(q, 'timeoutSeconds'),
            allowWatchBookmarks: str(q, 'allowWatchBookmarks') === 'true',
            transform: asTable ? (obj: KubeObject) => tables.one(def.kind, obj, { includeObject: str(q, 'includeObject') }) : conv ? out : undefined,
          }, ctx.watch);
          return reply;
        }
        req.mk8s.verb = 'list';
        const list = await ctx.registry.list(def, ns, { ...params, limit: int(q, 'limit'), continue: str(q, 'continue') });
        if (asTable) {
          return tables.list(def.kind, list.items, {
            includeObject: str(q, 'includeObject'),
            resourceVersion: list.metadata.resourceVersion,
            continue: list.metadata.continue,
          });
        }
        // items straight from storage: their JSON is cached per object (json-cache.ts)
        return conv ? outList(list) : reply.type('application/json; charset=utf-8').send(listJson(list));
      }
      case 'POST': {
        req.mk8s.verb = 'create';
        const obj = await ctx.registry.create(def, ns, inn(decodeCreateBody(req, info)), writeContext(req, q));
        return reply.code(201).send(out(obj));
      }
      case 'DELETE': {
        req.mk8s.verb = 'deletecollection';
        return outList(await deleteCollection(ctx, req, def, ns, q));
      }
      default:
        throw methodNotAllowed(method);
    }
  }

  const name = info.name;
  switch (method) {
    case 'GET': {
      const obj = await ctx.registry.get(def, ns, name);
      return asTable ? tables.list(def.kind, [obj], { includeObject: str(q, 'includeObject') }) : out(obj);
    }
    case 'PUT': {
      req.mk8s.verb = 'update';
      const body = decodeCreateBody(req, info);
      const { obj, created } = await ctx.registry.guaranteedUpdate(def, ns, name, (current) => inn(body, current) as KubeObject, writeContext(req, q), {
        createIfMissing: def.allowCreateOnUpdate,
      });
      return reply.code(created ? 201 : 200).send(out(obj));
    }
    case 'PATCH': {
      req.mk8s.verb = 'patch';
      const kind = patchKindFromContentType(req.headers['content-type']);
      const text = bodyText(req.body);
      const { obj, created } = await ctx.registry.guaranteedUpdate(
        def,
        ns,
        name,
        (current) => {
          const base = current ? out(current) : { apiVersion: served.group ? `${served.group}/${served.version}` : served.version, kind: def.kind, metadata: { name, namespace: ns } };
          const patched = inn(applyPatch(def.kind, base, kind, text), current) as KubeObject;
          // A resourceVersion is a precondition only when the patch itself carries one.
          if (current && !patchSetsResourceVersion(text)) patched.metadata = { ...patched.metadata, resourceVersion: undefined };
          return patched;
        },
        writeContext(req, q),
        { createIfMissing: kind === 'apply' },
      );
      return reply.code(created ? 201 : 200).send(out(obj));
    }
    case 'DELETE': {
      req.mk8s.verb = 'delete';
      const opts = deleteOptions(req, q);
      const { obj, removed } = await deleteObject(ctx.registry, def, ns, name, opts, writeContext(req, q));
      return reply.code(removed ? 200 : 202).send(out(obj));
    }
    default:
      throw methodNotAllowed(method);
  }
}

function patchSetsResourceVersion(text: string): boolean {
  return /"resourceVersion"\s*:/.test(text);
}

function methodNotAllowed(method: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
}

export function deleteOptions(req: FastifyRequest, q: Query): DeleteOptions {
  const body = decodeOptionalJson(req.headers['content-type'], req.body);
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new ApiError(400, 'BadRequest', 'DeleteOptions must be a JSON object');
  }
  const opts: DeleteOptions = { ...((body as DeleteOptions | undefined) ?? {}) };
  const grace = int(q, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = str(q, 'propagationPolicy');
  if (policy) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  if (str(q, 'orphanDependents') !== undefined) opts.orphanDependents = str(q, 'orphanDependents') === 'true';
  if (opts.dryRun?.length && !q.dryRun) q.dryRun = opts.dryRun;
  return opts;
}

async function deleteCollection(ctx: ApiContext, req: FastifyRequest, def: ResourceDef, ns: string | undefined, q: Query): Promise<KubeList> {
  const opts = deleteOptions(req, q);
  const wctx = writeContext(req, q);
  const list = await ctx.registry.list(def, ns, {
    labelSelector: str(q, 'labelSelector') ?? str(q, 'labels'),
    fieldSelector: str(q, 'fieldSelector'),
  });
  const deleted: KubeObject[] = [];
  for (const item of list.items) {
    try {
      const r = await deleteObject(ctx.registry, def, item.metadata.namespace, item.metadata.name!, opts, wctx);
      deleted.push(r.obj);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
    }
  }
  return { ...list, items: deleted };
}
