/**
 * `mkctl top pods|nodes` from metrics.k8s.io/v1beta1: CPU in millicores and memory in Mi,
 * with node percentages against `status.allocatable`, printed like kubectl top.
 */
import { RESOURCES, isNotFound, resourcePath, toBytes, toMilli, type KubeList, type KubeObject, type Node } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { alignRows } from '../printers/table.js';

interface Usage {
  cpu?: string;
  memory?: string;
}
interface PodMetrics extends KubeObject {
  containers: { name: string; usage: Usage }[];
}
interface NodeMetrics extends KubeObject {
  usage: Usage;
}

export interface TopOptions {
  selector?: string;
  allNamespaces?: boolean;
  containers?: boolean;
  noHeaders?: boolean;
}

const cpu = (m: number): string => `${Math.round(m)}m`;
const mem = (b: number): string => `${Math.round(b / (1024 * 1024))}Mi`;
const METRICS = '/apis/metrics.k8s.io/v1beta1';

async function fetchMetrics<T>(ctx: Context, path: string, selector?: string): Promise<T[]> {
  try {
    return (await ctx.client.request<KubeList<T & KubeObject>>('GET', path, { query: { labelSelector: selector } })).items;
  } catch (err) {
    if (isNotFound(err)) throw new CliError('Metrics API not available');
    throw err;
  }
}

export async function runTop(ctx: Context, what: string, name: string | undefined, opts: TopOptions): Promise<number> {
  const kind = what.toLowerCase();
  if (['pod', 'pods', 'po'].includes(kind)) {
    const nsPath = opts.allNamespaces ? '' : `/namespaces/${encodeURIComponent(ctx.namespace)}`;
    let items = await fetchMetrics<PodMetrics>(ctx, `${METRICS}${nsPath}/pods`, opts.selector);
    if (name) items = items.filter((i) => i.metadata.name === name);
    if (items.length === 0) {
      ctx.err.write(`No resources found in ${ctx.namespace} namespace.\n`);
      return 0;
    }
    const rows: string[][] = [];
    const header = [...(opts.allNamespaces ? ['NAMESPACE'] : []), 'NAME', ...(opts.containers ? ['CONTAINER'] : []), 'CPU(cores)', 'MEMORY(bytes)'];
    if (!opts.noHeaders) rows.push(header);
    for (const p of items) {
      const pre = [...(opts.allNamespaces ? [p.metadata.namespace ?? ''] : []), p.metadata.name ?? ''];
      if (opts.containers) {
        for (const c of p.containers) rows.push([...pre, c.name, cpu(toMilli(c.usage.cpu ?? '0')), mem(toBytes(c.usage.memory ?? '0'))]);
      } else {
        const c = p.containers.reduce((s, x) => s + toMilli(x.usage.cpu ?? '0'), 0);
        const m = p.containers.reduce((s, x) => s + toBytes(x.usage.memory ?? '0'), 0);
        rows.push([...pre, cpu(c), mem(m)]);
      }
    }
    ctx.out.write(alignRows(rows));
    return 0;
  }
  if (['node', 'nodes', 'no'].includes(kind)) {
    let items = await fetchMetrics<NodeMetrics>(ctx, `${METRICS}/nodes`, opts.selector);
    if (name) items = items.filter((i) => i.metadata.name === name);
    const nodes = await ctx.client.request<KubeList<Node>>('GET', resourcePath(RESOURCES.nodes));
    const alloc = new Map(nodes.items.map((n) => [n.metadata.name ?? '', n.status?.allocatable ?? {}]));
    const rows: string[][] = opts.noHeaders ? [] : [['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%']];
    for (const n of items) {
      const c = toMilli(n.usage.cpu ?? '0');
      const m = toBytes(n.usage.memory ?? '0');
      const a = alloc.get(n.metadata.name ?? '') ?? {};
      const pct = (v: number, total: number): string => (total > 0 ? `${Math.floor((v / total) * 100)}%` : '<unknown>');
      rows.push([n.metadata.name ?? '', cpu(c), pct(c, a.cpu ? toMilli(a.cpu) : 0), mem(m), pct(m, a.memory ? toBytes(a.memory) : 0)]);
    }
    if (items.length === 0) {
      ctx.err.write('No resources found\n');
      return 0;
    }
    ctx.out.write(alignRows(rows));
    return 0;
  }
  throw new CliError(`unknown top target "${what}": use pods or nodes`);
}
