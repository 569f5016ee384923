/**
 * `mkctl patch TYPE NAME -p PATCH [--type strategic|merge|json] [--subresource s]` and
 * `mkctl replace -f FILE`: direct writes. patch prints `<kind>/<name> patched` (or
 * `patched (no change)` when the resourceVersion did not move); replace PUTs each manifest
 * object and prints `<kind>/<name> replaced`.
 */
import { parse } from 'yaml';
import { resourcePath, type KubeObject } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError, formatError } from '../errors.js';
import { readManifests } from '../manifests.js';
import { objectName, parseResourceArgs } from '../resource-args.js';
import { targetOf } from '../targets.js';
import { formatObjects, parseOutput } from '../printers/output.js';

const CONTENT_TYPES: Record<string, string> = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
};

export interface PatchOptions {
  patch?: string;
  type?: string;
  subresource?: string;
  output?: string;
}

/** Parses a patch given as JSON or YAML. */
export function parsePatchText(text: string): unknown {
  try {
    return parse(text) as unknown;
  } catch (err) {
    throw new CliError(`unable to parse "${text}": ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
}

export async function runPatch(ctx: Context, args: string[], opts: PatchOptions): Promise<number> {
  if (!opts.patch) throw new CliError('must specify -p to patch');
  const type = opts.type ?? 'strategic';
  const contentType = CONTENT_TYPES[type];
  if (!contentType) throw new CliError(`--type must be one of [json merge strategic], not "${type}"`);
  const body = parsePatchText(opts.patch);
  if (type === 'json' ? !Array.isArray(body) : typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CliError(type === 'json' ? 'a json patch must be a list of operations' : 'a merge patch must be an object');
  }
  const fmt = parseOutput(opts.output);
  let failed = false;
  for (const r of parseResourceArgs(args)) {
    if (r.names.length === 0) throw new CliError('resource(s) were provided, but no name was specified');
    const ns = r.type.namespaced ? ctx.namespace : undefined;
    for (const name of r.names) {
      try {
        const path = resourcePath(r.type, ns, name, opts.subresource);
        const before = await ctx.client.request<KubeObject>('GET', path);
        const after = await ctx.client.request<KubeObject>('PATCH', path, { body, contentType, query: { fieldManager: 'kubectl-patch' } });
        if (fmt.kind !== 'table') ctx.out.write(formatObjects([after], fmt, true));
        else ctx.out.write(`${objectName(r.type, name)} patched${after.metadata.resourceVersion === before.metadata.resourceVersion ? ' (no change)' : ''}\n`);
      } catch (err) {
        failed = true;
        ctx.err.write(formatError(err) + '\n');
      }
    }
  }
  return failed ? 1 : 0;
}

export async function runReplace(ctx: Context, opts: { filename?: string[] }): Promise<number> {
  let failed = false;
  for (const m of await readManifests(opts.filename ?? [])) {
    try {
      const t = targetOf(ctx, m);
      await ctx.client.request<KubeObject>('PUT', resourcePath(t.type, t.namespace, t.name), { body: t.obj, query: { fieldManager: 'kubectl-replace' } });
      ctx.out.write(`${objectName(t.type, t.name)} replaced\n`);
    } catch (err) {
      failed = true;
      ctx.err.write(formatError(err) + '\n');
    }
  }
  return failed ? 1 : 0;
}
