/**
 * `mkctl expose deployment|rs|rc|pod|svc <name> [--port] [--target-port] [--type] [--name]
 * [--protocol]`: creates a Service selecting the workload's pods. The port defaults to the
 * first container port. Prints `service/<name> exposed`.
 */
import { RESOURCES, resourcePath, type Deployment, type KubeObject, type Pod, type ReplicaSet, type ReplicationController, type Service, type ServicePort } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { parseResourceArgs } from '../resource-args.js';
import { formatObjects, parseOutput } from '../printers/output.js';

export interface ExposeOptions {
  port?: string;
  targetPort?: string;
  type?: string;
  name?: string;
  protocol?: string;
  selector?: string;
  dryRun?: string;
  output?: string;
}

/** The selector and first container port of an exposable object. */
export function exposeSource(obj: KubeObject): { selector: Record<string, string>; port?: number } {
  switch (obj.kind) {
    case 'Deployment':
    case 'ReplicaSet': {
      const w = obj as Deployment | ReplicaSet;
      if (w.spec.selector.matchExpressions?.length) throw new CliError(`couldn't retrieve selectors via --selector flag or introspection: the ${obj.kind} uses matchExpressions`);
      return { selector: { ...(w.spec.selector.matchLabels ?? {}) }, port: w.spec.template?.spec.containers[0]?.ports?.[0]?.containerPort };
    }
    case 'ReplicationController': {
      const rc = obj as ReplicationController;
      return { selector: { ...(rc.spec.selector ?? rc.spec.template?.metadata?.labels ?? {}) }, port: rc.spec.template?.spec.containers[0]?.ports?.[0]?.containerPort };
    }
    case 'Pod': {
      const p = obj as Pod;
      return { selector: { ...(p.metadata.labels ?? {}) }, port: p.spec.containers[0]?.ports?.[0]?.containerPort };
    }
    case 'Service': {
      const s = obj as Service;
      return { selector: { ...(s.spec.selector ?? {}) }, port: s.spec.ports?.[0]?.port };
    }
    default:
      throw new CliError(`cannot expose a ${obj.kind ?? 'object'}`);
  }
}

function parseSelector(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const [k, v] = part.split('=');
    if (!k || v === undefined) throw new CliError(`invalid selector ${s}: only k=v,... is supported for expose`);
    out[k.trim()] = v.trim();
  }
  return out;
}

export async function runExpose(ctx: Context, args: string[], opts: ExposeOptions): Promise<number> {
  const [r] = parseResourceArgs(args);
  if (!r || r.names.length !== 1) throw new CliError('you must provide one resource by type and name to expose');
  const ns = ctx.namespace;
  const obj = await ctx.client.request<KubeObject>('GET', resourcePath(r.type, ns, r.names[0]!));
  obj.kind ??= r.type.kind;
  const src = exposeSource(obj);
  const selector = opts.selector ? parseSelector(opts.selector) : src.selector;
  if (Object.keys(selector).length === 0) throw new CliError(`couldn't find selectors for ${r.type.singular}/${r.names[0]!}`);
  const port = opts.port !== undefined ? Number(opts.port) : src.port;
  if (port === undefined || !Number.isInteger(port)) throw new CliError(`couldn't find port via --port flag or introspection`);
  const targetPort: number | string = opts.targetPort === undefined ? port : /^\d+$/.test(opts.targetPort) ? Number(opts.targetPort) : opts.targetPort;
  const sp: ServicePort = { port, protocol: (opts.protocol?.toUpperCase() ?? 'TCP') as ServicePort['protocol'], targetPort };
  const name = opts.name ?? obj.metadata.name ?? '';
  const type = opts.type as Service['spec']['type'];
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { ...(obj.metadata.labels ?? {}) } },
    spec: { ports: [sp], selector, ...(type ? { type } : {}) },
  };
  if (Object.keys(svc.metadata.labels ?? {}).length === 0) delete svc.metadata.labels;
  const fmt = parseOutput(opts.output);
  if (opts.dryRun === 'client') {
    ctx.out.write(fmt.kind === 'table' ? `service/${name} exposed (dry run)\n` : formatObjects([svc], fmt, true));
    return 0;
  }
  const created = await ctx.client.request<Service>('POST', resourcePath(RESOURCES.services, ns), { body: svc, query: { fieldManager: 'kubectl-expose' } });
  ctx.out.write(fmt.kind === 'table' ? `service/${name} exposed\n` : formatObjects([created], fmt, true));
  return 0;
}
