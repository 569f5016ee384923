/**
 * `mkctl describe <type> [name...]` (or `-l`): fetches each object plus what its describer
 * needs (events by involvedObject, pods on a node, a service's endpoints) and prints the
 * description. Missing objects are reported; the others still print.
 */
import { RESOURCES, resourcePath, type Endpoints, type Event, type KubeList, type KubeObject, type Lease, type Pod } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError, formatError } from '../errors.js';
import { listAll } from '../api.js';
import { parseResourceArgs, type ResourceRequest } from '../resource-args.js';
import { describeObject, type DescribeInput } from '../printers/describe-kinds.js';
import { podsUsingClaim } from '../printers/describe-storage.js';

export interface DescribeOptions {
  selector?: string;
  allNamespaces?: boolean;
  showEvents?: boolean;
}

export async function runDescribe(ctx: Context, args: string[], opts: DescribeOptions): Promise<number> {
  const requests = parseResourceArgs(args);
  let failed = false;
  const texts: string[] = [];
  for (const r of requests) {
    const ns = r.type.namespaced ? (opts.allNamespaces ? undefined : ctx.namespace) : undefined;
    let objs: KubeObject[] = [];
    if (r.names.length === 0) {
      objs = (await listAll(ctx.client, r.type, ns, { labelSelector: opts.selector })).items;
    } else {
      for (const name of r.names) {
        try {
          objs.push(await ctx.client.request<KubeObject>('GET', resourcePath(r.type, ns, name)));
        } catch (err) {
          failed = true;
          ctx.err.write(formatError(err) + '\n');
        }
      }
    }
    for (const obj of objs) texts.push(describeObject(await gather(ctx, r, obj, opts.showEvents !== false)));
  }
  if (texts.length === 0 && !failed) {
    if (requests.every((r) => r.names.length === 0)) ctx.err.write(`No resources found in ${ctx.namespace} namespace.\n`);
    else throw new CliError('no objects to describe');
  }
  ctx.out.write(texts.join('\n\n'));
  return failed ? 1 : 0;
}

async function gather(ctx: Context, r: ResourceRequest, obj: KubeObject, showEvents: boolean): Promise<DescribeInput> {
  const input: DescribeInput = { obj, kind: r.type.kind, namespaced: r.type.namespaced, now: new Date() };
  const m = obj.metadata;
  const quiet = async <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);
  if (showEvents) {
    const sel = [`involvedObject.name=${m.name ?? ''}`, `involvedObject.namespace=${m.namespace ?? ''}`, `involvedObject.uid=${m.uid ?? ''}`].join(',');
    const events = await quiet(ctx.client.request<KubeList<Event>>('GET', resourcePath(RESOURCES.events, m.namespace), { query: { fieldSelector: sel } }));
    input.events = events?.items ?? [];
  }
  if (r.type.kind === 'Node') {
    const pods = await quiet(
      ctx.client.request<KubeList<Pod>>('GET', resourcePath(RESOURCES.pods), {
        query: { fieldSelector: `spec.nodeName=${m.name ?? ''},status.phase!=Succeeded,status.phase!=Failed` },
      }),
    );
    if (pods) input.podsOnNode = pods.items;
    try {
      input.lease = await ctx.client.request<Lease>('GET', resourcePath(RESOURCES.leases, 'kube-node-lease', m.name));
    } catch (err) {
      input.lease = (err as Error).message;
    }
  }
  if (r.type.kind === 'PersistentVolumeClaim') {
    const pods = await quiet(ctx.client.request<KubeList<Pod>>('GET', resourcePath(RESOURCES.pods, m.namespace)));
    input.usedBy = podsUsingClaim(m.name ?? '', pods?.items ?? []);
  }
  if (r.type.kind === 'Service') {
    const ep = await quiet(ctx.client.request<Endpoints>('GET', resourcePath(RESOURCES.endpoints, m.namespace, m.name)));
    if (ep) input.endpoints = ep;
  }
  return input;
}
