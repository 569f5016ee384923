/**
 * `mkctl logs <pod>|pod/<name> [-c container] [-f] [--tail N] [--timestamps] [--previous]
 * [--since 5m]`: streams GET .../pods/<name>/log to stdout as it arrives. A pod with several
 * containers and no -c is an error naming them, as in kubectl.
 */
import { RESOURCES, errorFromReply, readBody, resourcePath, type Pod } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';

export interface LogsOptions {
  container?: string;
  follow?: boolean;
  tail?: string;
  timestamps?: boolean;
  previous?: boolean;
  since?: string;
}

export function podNameArg(arg: string): string {
  const slash = arg.indexOf('/');
  if (slash < 0) return arg;
  const type = arg.slice(0, slash).toLowerCase();
  if (!['pod', 'pods', 'po'].includes(type)) throw new CliError(`cannot get logs for ${arg}: only pods are supported`);
  return arg.slice(slash + 1);
}

/** `5s`, `2m`, `1h` -> seconds. */
export function parseDurationSeconds(s: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(s);
  if (!m) throw new CliError(`invalid duration ${s}`);
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600 }[m[2] ?? 's'] ?? 1);
}

export async function runLogs(ctx: Context, podArg: string, opts: LogsOptions): Promise<number> {
  const name = podNameArg(podArg);
  let container = opts.container;
  if (!container) {
    const pod = await ctx.client.request<Pod>('GET', resourcePath(RESOURCES.pods, ctx.namespace, name));
    const names = pod.spec.containers.map((c) => c.name);
    if (names.length > 1) {
      throw new CliError(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
    }
    container = names[0];
  }
  const tail = opts.tail === undefined || opts.tail === '-1' ? undefined : Number(opts.tail);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new CliError(`invalid --tail ${opts.tail ?? ''}`);
  const res = await ctx.client.send('GET', resourcePath(RESOURCES.pods, ctx.namespace, name, 'log'), {
    query: {
      container,
      follow: opts.follow ? 'true' : undefined,
      tailLines: tail,
      timestamps: opts.timestamps ? 'true' : undefined,
      previous: opts.previous ? 'true' : undefined,
      sinceSeconds: opts.since ? parseDurationSeconds(opts.since) : undefined,
    },
    accept: '*/*',
  });
  const code = res.statusCode ?? 0;
  if (code < 200 || code >= 300) throw errorFromReply(code, await readBody(res));
  await new Promise<void>((resolve, reject) => {
    res.on('data', (c: Buffer) => ctx.out.write(c));
    res.on('end', resolve);
    res.on('error', reject);
  });
  return 0;
}
