/**
 * `mkctl wait --for=condition=Ready|delete|create|jsonpath=... TYPE/NAME ... [-l sel]
 * [--timeout=30s]`: for each object, GET then watch by name until the condition holds.
 * Prints `<kind>/<name> condition met`; a timeout is `error: timed out waiting for the
 * condition on <plural>/<name>` and exit 1.
 */
import { resourcePath, type KubeList, type KubeObject, type ResourceType } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError, formatError } from '../errors.js';
import { listAll, watchStream } from '../api.js';
import { objectName, parseResourceArgs } from '../resource-args.js';
import { conditionMet, parseWaitFor, type WaitFor } from '../wait-logic.js';
import { parseTimeout } from './rollout.js';

export interface WaitOptions {
  for?: string;
  timeout?: string;
  selector?: string;
  all?: boolean;
}

export async function runWait(ctx: Context, args: string[], opts: WaitOptions): Promise<number> {
  if (!opts.for) throw new CliError('--for must be specified');
  const cond = parseWaitFor(opts.for);
  const timeoutMs = parseTimeout(opts.timeout ?? '30s');
  const deadline = Date.now() + timeoutMs;
  let failed = false;
  for (const r of parseResourceArgs(args)) {
    const ns = r.type.namespaced ? ctx.namespace : undefined;
    let names = r.names;
    if (names.length === 0) {
      if (!opts.selector && !opts.all) throw new CliError('resource name or a selector (-l / --all) must be given');
      names = (await listAll(ctx.client, r.type, ns, { labelSelector: opts.selector })).items.map((o) => o.metadata.name ?? '');
      if (names.length === 0) throw new CliError('no matching resources found');
    }
    for (const name of names) {
      try {
        const ok = await waitOne(ctx, r.type, ns, name, cond, deadline);
        if (!ok) throw new CliError(`timed out waiting for the condition on ${r.type.plural}/${name}`);
        ctx.out.write(`${objectName(r.type, name)} condition met\n`);
      } catch (err) {
        failed = true;
        ctx.err.write(formatError(err) + '\n');
      }
    }
  }
  return failed ? 1 : 0;
}

async function waitOne(ctx: Context, type: ResourceType, ns: string | undefined, name: string, cond: WaitFor, deadline: number): Promise<boolean> {
  const fieldSelector = `metadata.name=${name}`;
  for (let round = 0; round < 100_000; round++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    const list = await ctx.client.request<KubeList>('GET', resourcePath(type, ns), { query: { fieldSelector } });
    const obj = list.items[0];
    if (!obj) {
      if (cond.kind === 'delete') return true;
      // the server's own NotFound error, as kubectl reports it
      if (cond.kind !== 'create' && round === 0) await ctx.client.request('GET', resourcePath(type, ns, name));
    } else if (conditionMet(obj, cond)) return true;
    let met = false;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), remaining);
    try {
      await watchStream<KubeObject>(ctx.client, resourcePath(type, ns), { fieldSelector, resourceVersion: list.metadata.resourceVersion }, (ev) => {
        if (ev.type === 'DELETED' && cond.kind === 'delete') met = true;
        else if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && conditionMet(ev.object, cond)) met = true;
        return met ? 'stop' : undefined;
      }, { signal: ctrl.signal }).catch((err: unknown) => {
        if (!ctrl.signal.aborted) throw err;
      });
    } finally {
      clearTimeout(timer);
    }
    if (met) return true;
    if (round > 0) await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
