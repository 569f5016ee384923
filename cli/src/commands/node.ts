/**
 * `mkctl cordon|uncordon NODE...` (merge patch of spec.unschedulable) and
 * `mkctl drain NODE [--force] [--grace-period] [--timeout]`: cordon, then evict every pod
 * bound to the node through the eviction subresource and wait for each to be gone.
 * Unmanaged pods (no controller) are refused without --force, as in kubectl.
 */
import { RESOURCES, resourcePath, type KubeList, type Node, type Pod } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError, formatError } from '../errors.js';
import { waitGone } from './delete.js';

export async function runCordon(ctx: Context, nodes: string[], cordon: boolean): Promise<number> {
  if (nodes.length === 0) throw new CliError('you must specify at least one node');
  let failed = false;
  for (const name of nodes) {
    try {
      await setUnschedulable(ctx, name, cordon);
    } catch (err) {
      failed = true;
      ctx.err.write(formatError(err) + '\n');
    }
  }
  return failed ? 1 : 0;
}

async function setUnschedulable(ctx: Context, name: string, cordon: boolean): Promise<void> {
  const path = resourcePath(RESOURCES.nodes, undefined, name);
  const node = await ctx.client.request<Node>('GET', path);
  const verb = cordon ? 'cordoned' : 'uncordoned';
  if (!!node.spec?.unschedulable === cordon) {
    ctx.out.write(`node/${name} already ${verb}\n`);
    return;
  }
  await ctx.client.request('PATCH', path, { body: { spec: { unschedulable: cordon ? true : null } }, contentType: 'application/merge-patch+json' });
  ctx.out.write(`node/${name} ${verb}\n`);
}

export interface DrainOptions {
  force?: boolean;
  gracePeriod?: string;
  deleteEmptydirData?: boolean;
  ignoreDaemonsets?: boolean;
}

/** Pods drain may not evict, with kubectl's reasons. */
export function drainBlockers(pods: Pod[], opts: DrainOptions): string[] {
  const out: string[] = [];
  const unmanaged = pods.filter((p) => !p.metadata.ownerReferences?.some((o) => o.controller));
  if (unmanaged.length && !opts.force) {
    out.push(`cannot delete Pods that declare no controller (use --force to override): ${unmanaged.map((p) => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`).join(', ')}`);
  }
  const local = pods.filter((p) => p.spec.volumes?.some((v) => v.emptyDir));
  if (local.length && !opts.deleteEmptydirData) {
    out.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${local.map((p) => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`).join(', ')}`);
  }
  return out;
}

export async function runDrain(ctx: Context, name: string, opts: DrainOptions): Promise<number> {
  await setUnschedulable(ctx, name, true);
  const pods = await ctx.client.request<KubeList<Pod>>('GET', resourcePath(RESOURCES.pods), {
    query: { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed` },
  });
  const blockers = drainBlockers(pods.items, opts);
  if (blockers.length) throw new CliError(`unable to drain node "${name}" due to error: ${blockers.join('; ')}`);
  const grace = opts.gracePeriod === undefined ? undefined : Number(opts.gracePeriod);
  for (const p of pods.items) {
    const ns = p.metadata.namespace;
    const podName = p.metadata.name ?? '';
    ctx.out.write(`evicting pod ${ns ?? ''}/${podName}\n`);
    const body = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: podName, namespace: ns },
      ...(grace !== undefined && grace >= 0 ? { deleteOptions: { gracePeriodSeconds: grace } } : {}),
    };
    await ctx.client.request('POST', resourcePath(RESOURCES.pods, ns, podName, 'eviction'), { body });
  }
  for (const p of pods.items) {
    await waitGone(ctx, { type: RESOURCES.pods, namespace: p.metadata.namespace, name: p.metadata.name ?? '' }, p.metadata.uid ?? '');
    ctx.out.write(`pod/${p.metadata.name ?? ''} evicted\n`);
  }
  ctx.out.write(`node/${name} drained\n`);
  return 0;
}
