/**
 * `mkctl delete`: by type and names, `type/name`, `-f` manifests, or `-l`/`--all` over a
 * collection. Sends DeleteOptions (grace period, propagation), prints `<kind> "<name>" deleted`,
 * then (unless --wait=false) waits until each object is really gone by watching its name.
 */
import { isNotFound, resourcePath, type DeleteOptions, type KubeList, type KubeObject, type PropagationPolicy, type ResourceType } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError, formatError } from '../errors.js';
import { readManifests } from '../manifests.js';
import { deletedMessage, parseResourceArgs } from '../resource-args.js';
import { targetOf } from '../targets.js';
import { listAll, watchStream } from '../api.js';

export interface DeleteCmdOptions {
  filename?: string[];
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  gracePeriod?: string;
  force?: boolean;
  now?: boolean;
  cascade?: string | boolean;
  wait?: boolean | string;
  ignoreNotFound?: boolean;
}

interface Victim {
  type: ResourceType;
  namespace: string | undefined;
  name: string;
}

export function deleteOptionsFrom(opts: DeleteCmdOptions): DeleteOptions {
  const del: DeleteOptions = {};
  const cascade = String(opts.cascade ?? 'background').toLowerCase();
  const policies: Record<string, PropagationPolicy> = { background: 'Background', true: 'Background', foreground: 'Foreground', orphan: 'Orphan', false: 'Orphan' };
  const policy = policies[cascade];
  if (!policy) throw new CliError(`invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan"`);
  del.propagationPolicy = policy;
  let grace = opts.gracePeriod === undefined ? -1 : Number(opts.gracePeriod);
  if (!Number.isInteger(grace)) throw new CliError(`invalid argument "${opts.gracePeriod ?? ''}" for "--grace-period" flag`);
  if (opts.now) {
    if (grace >= 0) throw new CliError('--now and --grace-period cannot be specified together');
    grace = 1;
  }
  if (opts.force && grace < 0) grace = 0;
  if (grace === 0 && !opts.force) grace = 1; // kubectl: 0 without --force means "immediately but gracefully"
  if (grace >= 0) del.gracePeriodSeconds = grace;
  return del;
}

export async function runDelete(ctx: Context, args: string[], opts: DeleteCmdOptions): Promise<number> {
  const del = deleteOptionsFrom(opts);
  const wait = !(opts.wait === false || opts.wait === 'false');
  if (opts.force) ctx.err.write('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  let failed = false;
  const report = (err: unknown): void => {
    failed = true;
    ctx.err.write(formatError(err) + '\n');
  };

  const victims: Victim[] = [];
  if (opts.filename?.length) {
    if (args.length) throw new CliError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    for (const m of await readManifests(opts.filename)) {
      const t = targetOf(ctx, m);
      victims.push({ type: t.type, namespace: t.namespace, name: t.name });
    }
  } else {
    const requests = parseResourceArgs(args);
    for (const r of requests) {
      const ns = r.type.namespaced ? (opts.allNamespaces ? undefined : ctx.namespace) : undefined;
      if (r.names.length > 0) {
        if (opts.selector || opts.all) throw new CliError('name cannot be provided when a selector is specified');
        victims.push(...r.names.map((name) => ({ type: r.type, namespace: ns, name })));
        continue;
      }
      if (!opts.selector && !opts.fieldSelector && !opts.all) throw new CliError('resource(s) were provided, but no name was specified');
      const list: KubeList = await listAll(ctx.client, r.type, ns, { labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
      for (const item of list.items) victims.push({ type: r.type, namespace: r.type.namespaced ? item.metadata.namespace : undefined, name: item.metadata.name ?? '' });
    }
    if (victims.length === 0) {
      ctx.err.write('No resources found\n');
      return 0;
    }
  }

  const pending: { v: Victim; uid: string }[] = [];
  for (const v of victims) {
    try {
      const reply = await ctx.client.request<KubeObject | { kind: 'Status' }>('DELETE', resourcePath(v.type, v.namespace, v.name), {
        body: { apiVersion: 'v1', kind: 'DeleteOptions', ...del },
      });
      ctx.out.write(deletedMessage(v.type, v.name) + '\n');
      const uid = (reply as KubeObject).metadata?.uid;
      if (wait && reply.kind !== 'Status' && uid) pending.push({ v, uid });
    } catch (err) {
      if (isNotFound(err) && opts.ignoreNotFound) continue;
      report(err);
    }
  }
  for (const { v, uid } of pending) {
    try {
      await waitGone(ctx, v, uid);
    } catch (err) {
      report(err);
    }
  }
  return failed ? 1 : 0;
}

/** Returns once the object with this uid no longer exists (watching by name, rewatching on close). */
export async function waitGone(ctx: Context, v: Victim, uid: string): Promise<void> {
  const fieldSelector = `metadata.name=${v.name}`;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 250));
    const list = await ctx.client.request<KubeList>('GET', resourcePath(v.type, v.namespace), { query: { fieldSelector } });
    if (!list.items.some((i) => i.metadata.uid === uid)) return;
    let gone = false;
    await watchStream<KubeObject>(ctx.client, resourcePath(v.type, v.namespace), { fieldSelector, resourceVersion: list.metadata.resourceVersion }, (ev) => {
      if (ev.type === 'DELETED' && ev.object.metadata?.uid === uid) {
        gone = true;
        return 'stop';
      }
      return undefined;
    });
    if (gone) return;
  }
}
