/**
 * `mkctl scale <type>/<name> --replicas=N` (or `<type> <name>`): a merge patch of
 * `spec.replicas` on the scale subresource; `--current-replicas` is checked first.
 * Prints `deployment.apps/web scaled`.
 */
import { resourcePath, type Scale } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError, formatError } from '../errors.js';
import { objectName, parseResourceArgs } from '../resource-args.js';

export interface ScaleOptions {
  replicas?: string;
  currentReplicas?: string;
}

export async function runScale(ctx: Context, args: string[], opts: ScaleOptions): Promise<number> {
  const replicas = Number(opts.replicas);
  if (opts.replicas === undefined || !Number.isInteger(replicas) || replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const requests = parseResourceArgs(args);
  let failed = false;
  for (const r of requests) {
    if (!r.type.subresources?.includes('scale')) throw new CliError(`cannot scale ${r.type.plural}: no scale subresource`);
    if (r.names.length === 0) throw new CliError('resource(s) were provided, but no name was specified');
    const ns = r.type.namespaced ? ctx.namespace : undefined;
    for (const name of r.names) {
      try {
        const path = resourcePath(r.type, ns, name, 'scale');
        if (opts.currentReplicas !== undefined) {
          const cur = await ctx.client.request<Scale>('GET', path);
          if (String(cur.spec.replicas ?? 0) !== opts.currentReplicas) {
            throw new CliError(`Expected replicas to be ${opts.currentReplicas}, was ${cur.spec.replicas ?? 0}`);
          }
        }
        await ctx.client.request<Scale>('PATCH', path, { body: { spec: { replicas } }, contentType: 'application/merge-patch+json' });
        ctx.out.write(`${objectName(r.type, name)} scaled\n`);
      } catch (err) {
        failed = true;
        ctx.err.write(formatError(err) + '\n');
      }
    }
  }
  return failed ? 1 : 0;
}
