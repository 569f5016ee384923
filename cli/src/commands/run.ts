/**
 * `mkctl run NAME --image=IMAGE [--restart] [--labels] [--env] [--port] [--command] -- ARGS`:
 * creates a single Pod labelled `run=NAME`, like kubectl run. With --command the arguments
 * after `--` replace the image's command, otherwise they are its args.
 */
import { RESOURCES, resourcePath, type Pod, type Container } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { formatObjects, parseOutput } from '../printers/output.js';

export interface RunOptions {
  image?: string;
  restart?: string;
  labels?: string;
  env?: string[];
  port?: string;
  command?: boolean;
  imagePullPolicy?: string;
  dryRun?: string;
  output?: string;
}

export function buildRunPod(name: string, namespace: string, args: string[], opts: RunOptions): Pod {
  if (!opts.image) throw new CliError('required flag(s) "image" not set');
  const restart = opts.restart ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CliError(`invalid restart policy: ${restart}`);
  const labels: Record<string, string> = {};
  if (opts.labels) {
    for (const kv of opts.labels.split(',')) {
      const [k, v] = kv.split('=');
      if (!k || v === undefined) throw new CliError(`invalid label spec: ${kv}`);
      labels[k] = v;
    }
  } else labels.run = name;
  const c: Container = { name, image: opts.image, resources: {} };
  if (args.length) {
    if (opts.command) c.command = args;
    else c.args = args;
  }
  if (opts.env?.length) {
    c.env = opts.env.map((e) => {
      const eq = e.indexOf('=');
      if (eq <= 0) throw new CliError(`invalid env: ${e}`);
      return { name: e.slice(0, eq), value: e.slice(eq + 1) };
    });
  }
  if (opts.port) c.ports = [{ containerPort: Number(opts.port) }];
  if (opts.imagePullPolicy) c.imagePullPolicy = opts.imagePullPolicy as Container['imagePullPolicy'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [c], restartPolicy: restart as Pod['spec']['restartPolicy'], dnsPolicy: 'ClusterFirst' },
  };
}

export async function runRun(ctx: Context, name: string, args: string[], opts: RunOptions): Promise<number> {
  const pod = buildRunPod(name, ctx.namespace, args, opts);
  const fmt = parseOutput(opts.output);
  if (opts.dryRun === 'client') {
    ctx.out.write(fmt.kind === 'table' ? `pod/${name} created (dry run)\n` : formatObjects([pod], fmt, true));
    return 0;
  }
  const created = await ctx.client.request<Pod>('POST', resourcePath(RESOURCES.pods, ctx.namespace), {
    body: pod,
    query: { fieldManager: 'kubectl-run', dryRun: opts.dryRun === 'server' ? 'All' : undefined },
  });
  ctx.out.write(fmt.kind === 'table' ? `pod/${name} created\n` : formatObjects([created], fmt, true));
  return 0;
}
