/**
 * Subresources: `status` (the status half of an object), `scale` (autoscaling/v1 Scale over
 * a workload's replicas), `binding` (a pod is bound to a node at most once), `eviction`,
 * namespaces' `finalize`, serviceaccounts' `token` (TokenRequest, when service account tokens
 * are configured), and pods' `log`/`exec`, which are proxied to the pod's kubelet.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiError,
  formatLabelSelector,
  newConflict,
  newInvalid,
  type Binding,
  type Condition,
  type KubeObject,
  type LabelSelector,
  type Pod,
  type Scale,
} from '@mk8s/shared';
import { applyPatch, patchKindFromContentType } from '../patch/index.js';
import { deleteObject } from '../registry/delete.js';
import { now } from '../registry/meta.js';
import type { ResourceDef, WriteContext } from '../registry/resource-def.js';
import { bodyText, decodeObjectBody } from './body.js';
import type { ApiContext } from './context.js';
import { isDryRun, type Query } from './query.js';
import type { RequestInfo } from './request-info.js';

function wctx(req: FastifyRequest, q: Query): WriteContext {
  return { dryRun: isDryRun(q), user: req.user ?? 'system:anonymous' };
}

export async function handleSubresource(
  ctx: ApiContext,
  req: FastifyRequest,
  reply: FastifyReply,
  def: ResourceDef,
  info: RequestInfo,
  q: Query,
): Promise<unknown> {
  const ns = def.namespaced ? info.namespace : undefined;
  const name = info.name!;
  const sub = info.subresource!;
  const method = req.method;
  if (sub === 'status' || sub === 'finalize') {
    if (method === 'GET') return ctx.registry.get(def, ns, name);
    if (method === 'PUT') {
      const body = decodeObjectBody(req.headers['content-type'], req.body) as KubeObject;
      const mutate = sub === 'finalize' ? finalizeMutator(body) : () => body;
      const { obj } = await ctx.registry.guaranteedUpdate(def, ns, name, mutate, wctx(req, q), { subresource: sub === 'status' ? 'status' : undefined });
      return obj;
    }
    if (method === 'PATCH' && sub === 'status') {
      const kind = patchKindFromContentType(req.headers['content-type']);
      const text = bodyText(req.body);
      const { obj } = await ctx.registry.guaranteedUpdate(
        def,
        ns,
        name,
        (current) => {
          const patched = applyPatch(def.kind, current!, kind, text) as KubeObject;
          if (!/"resourceVersion"\s*:/.test(text)) patched.metadata = { ...patched.metadata, resourceVersion: undefined };
          return patched;
        },
        wctx(req, q),
        { subresource: 'status' },
      );
      return obj;
    }
  }
  if (sub === 'scale') return handleScale(ctx, req, def, ns, name, q);
  if (sub === 'binding' && method === 'POST') {
    const body = decodeObjectBody(req.headers['content-type'], req.body) as Binding;
    const pod = await bindPod(ctx, def, ns, name, body, wctx(req, q));
    return reply.code(201).send({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201, details: { name: pod.metadata.name, kind: 'pods' } });
  }
  if (sub === 'eviction' && method === 'POST') {
    const body = decodeObjectBody(req.headers['content-type'], req.body) as { deleteOptions?: object };
    await deleteObject(ctx.registry, def, ns, name, body.deleteOptions ?? {}, wctx(req, q));
    return reply.code(201).send({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }
  if (sub === 'token') {
    // as in Kubernetes, the token subresource only exists with a signing key
    if (!ctx.serviceAccountTokens) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (method === 'POST') {
      const body = decodeObjectBody(req.headers['content-type'], req.body);
      return reply.code(201).send(await ctx.serviceAccountTokens(ns ?? 'default', name, body));
    }
  }
  if ((sub === 'log' || sub === 'exec') && ctx.kubelets) {
    const pod = (await ctx.registry.get(def, ns, name)) as Pod;
    if (sub === 'log' && method === 'GET') return ctx.kubelets.proxyLog(req, reply, pod, q);
    if (sub === 'exec' && (method === 'GET' || method === 'POST')) return ctx.kubelets.proxyExec(req, reply, pod, q);
  }
  throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method} ${sub})`);
}

function finalizeMutator(body: KubeObject) {
  return (current: KubeObject | undefined): KubeObject => {
    const next = structuredClone(current!) as KubeObject & { spec?: { finalizers?: string[] } };
    next.spec = { ...next.spec, finalizers: (body as { spec?: { finalizers?: string[] } }).spec?.finalizers ?? [] };
    if (body.metadata?.resourceVersion) next.metadata.resourceVersion = body.metadata.resourceVersion;
    else delete next.metadata.resourceVersion;
    return next;
  };
}

async function bindPod(ctx: ApiContext, def: ResourceDef, ns: string | undefined, name: string, b: Binding, w: WriteContext): Promise<Pod> {
  const target = b?.target;
  if (!target?.name) {
    throw newInvalid('Binding', '', name, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
  }
  if (target.kind && target.kind !== 'Node') {
    throw newInvalid('Binding', '', name, [{ reason: 'FieldValueNotSupported', field: 'target.kind', message: `Unsupported value: "${target.kind}": supported values: "Node"` }]);
  }
  // One write: spec.nodeName and PodScheduled=True together, as the real binding does.
  const { obj } = await ctx.registry.guaranteedUpdate(
    def,
    ns,
    name,
    (current) => {
      const pod = current as Pod;
      if (pod.metadata.deletionTimestamp) throw newConflict('pods', '', name, 'pod is being deleted, cannot be assigned to a host');
      if (pod.spec.nodeName) throw newConflict('pods', '', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
      if (b.metadata?.uid && b.metadata.uid !== pod.metadata.uid) throw newConflict('pods', '', name, 'the UID in the binding does not match the pod');
      pod.spec.nodeName = target.name;
      const status = pod.status ?? {};
      const conditions = (status.conditions ?? []).filter((c: Condition) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: now(), lastProbeTime: null });
      pod.status = { ...status, conditions };
      delete pod.metadata.resourceVersion;
      return pod;
    },
    w,
    { subresource: 'binding' },
  );
  return obj as Pod;
}

type Workload = KubeObject & {
  spec?: { replicas?: number; selector?: LabelSelector | Record<string, string> };
  status?: { replicas?: number };
};

export function scaleOf(def: ResourceDef, obj: Workload): Scale {
  const sel = obj.spec?.selector;
  let selector = '';
  if (sel && def.kind === 'ReplicationController') {
    selector = Object.entries(sel as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
  } else if (sel) selector = formatLabelSelector(sel as LabelSelector);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector },
  };
}

async function handleScale(ctx: ApiContext, req: FastifyRequest, def: ResourceDef, ns: string | undefined, name: string, q: Query): Promise<unknown> {
  const method = req.method;
  if (method === 'GET') return scaleOf(def, (await ctx.registry.get(def, ns, name)) as Workload);
  if (method !== 'PUT' && method !== 'PATCH') throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method} scale)`);
  const patchKind = method === 'PATCH' ? patchKindFromContentType(req.headers['content-type']) : undefined;
  const text = bodyText(req.body);
  const putBody = method === 'PUT' ? (decodeObjectBody(req.headers['content-type'], req.body) as Scale) : undefined;
  const { obj } = await ctx.registry.guaranteedUpdate(
    def,
    ns,
    name,
    (current) => {
      const workload = current as Workload;
      const scale = scaleOf(def, workload);
      const desired = putBody ?? (applyPatch('Scale', scale, patchKind!, text) as Scale);
      const replicas = desired.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw newInvalid('Scale', 'autoscaling', name, [
          { reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
        ]);
      }
      workload.spec = { ...workload.spec, replicas };
      const rv = desired.metadata?.resourceVersion;
      const precondition = putBody ? rv : /"resourceVersion"\s*:/.test(text) ? rv : undefined;
      if (precondition) workload.metadata.resourceVersion = precondition;
      else delete workload.metadata.resourceVersion;
      return workload;
    },
    wctx(req, q),
  );
  return scaleOf(def, obj as Workload);
}
