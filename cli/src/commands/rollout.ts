/**
 * `mkctl rollout status|history|undo|restart|pause|resume deployment/<name>`. status
 * watches the Deployment until rollout-logic says done (or --timeout passes); undo replaces
 * the template with an older ReplicaSet's via a JSON patch; restart stamps the template with
 * `kubectl.kubernetes.io/restartedAt` via a strategic merge patch.
 */
import { RESOURCES, isNotFound, resourcePath, type Deployment, type KubeList, type ReplicaSet } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { watchStream } from '../api.js';
import { objectName, parseResourceArgs } from '../resource-args.js';
import { alignRows } from '../printers/table.js';
import { toYaml } from '../printers/json.js';
import { deepEqual } from '../apply.js';
import { CHANGE_CAUSE, ownedReplicaSets, revisionOf, rollbackTarget, rolloutStatus, selectorToString, templateForRollback } from '../rollout-logic.js';

export interface RolloutOptions {
  timeout?: string;
  watch?: boolean;
  revision?: string;
  toRevision?: string;
}

function deploymentArg(args: string[]): string {
  const reqs = parseResourceArgs(args);
  const r = reqs[0];
  if (reqs.length !== 1 || !r || r.names.length !== 1) throw new CliError('required resource not specified: give deployment/<name>');
  if (r.type !== RESOURCES.deployments) throw new CliError(`no rollout support for ${r.type.plural}: only deployments are supported`);
  return r.names[0]!;
}

export async function runRollout(ctx: Context, action: string, args: string[], opts: RolloutOptions): Promise<number> {
  const name = deploymentArg(args);
  const path = resourcePath(RESOURCES.deployments, ctx.namespace, name);
  const getDeploy = (): Promise<Deployment> => ctx.client.request<Deployment>('GET', path);
  const display = objectName(RESOURCES.deployments, name);
  switch (action) {
    case 'status':
      return rolloutStatusCmd(ctx, name, getDeploy, opts);
    case 'history': {
      const d = await getDeploy();
      const owned = await replicaSetsOf(ctx, d);
      if (opts.revision) {
        const rs = owned.find((x) => String(revisionOf(x)) === opts.revision);
        if (!rs) throw new CliError(`unable to find the specified revision`);
        ctx.out.write(`${display} with revision #${opts.revision}\n`);
        ctx.out.write(toYaml({ 'Pod Template': templateForRollback(rs) }));
        return 0;
      }
      ctx.out.write(`${display} \n`);
      if (owned.length === 0) {
        ctx.out.write('No rollout history found.\n');
        return 0;
      }
      ctx.out.write(alignRows([['REVISION', 'CHANGE-CAUSE'], ...owned.map((rs) => [String(revisionOf(rs)), rs.metadata.annotations?.[CHANGE_CAUSE] ?? '<none>'])]));
      ctx.out.write('\n');
      return 0;
    }
    case 'undo': {
      const d = await getDeploy();
      const target = rollbackTarget(await replicaSetsOf(ctx, d), Number(opts.toRevision ?? 0));
      if (typeof target === 'string') throw new CliError(target);
      const template = templateForRollback(target);
      if (!template) throw new CliError('the target revision has no pod template');
      if (deepEqual(template, d.spec.template)) {
        ctx.out.write(`${display} skipped rollback (current template already matches revision ${revisionOf(target)})\n`);
        return 0;
      }
      await ctx.client.request('PATCH', path, { body: [{ op: 'replace', path: '/spec/template', value: template }], contentType: 'application/json-patch+json' });
      ctx.out.write(`${display} rolled back\n`);
      return 0;
    }
    case 'restart': {
      const d = await getDeploy();
      if (d.spec.paused) throw new CliError(`deployments.apps "${name}" can't restart paused deployment (run rollout resume first)`);
      const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } } } } };
      await ctx.client.request('PATCH', path, { body: patch, contentType: 'application/strategic-merge-patch+json' });
      ctx.out.write(`${display} restarted\n`);
      return 0;
    }
    case 'pause':
    case 'resume': {
      const paused = action === 'pause';
      const d = await getDeploy();
      if (!!d.spec.paused === paused) throw new CliError(`${display} is ${paused ? 'already paused' : 'not paused'}`);
      await ctx.client.request('PATCH', path, { body: { spec: { paused: paused ? true : null } }, contentType: 'application/merge-patch+json' });
      ctx.out.write(`${display} ${paused ? 'paused' : 'resumed'}\n`);
      return 0;
    }
    default:
      throw new CliError(`unknown rollout command "${action}": use status, history, undo, restart, pause or resume`);
  }
}

async function replicaSetsOf(ctx: Context, d: Deployment): Promise<ReplicaSet[]> {
  const list = await ctx.client.request<KubeList<ReplicaSet>>('GET', resourcePath(RESOURCES.replicasets, ctx.namespace), {
    query: { labelSelector: selectorToString(d.spec.selector) },
  });
  return ownedReplicaSets(d, list.items);
}

async function rolloutStatusCmd(ctx: Context, name: string, getDeploy: () => Promise<Deployment>, opts: RolloutOptions): Promise<number> {
  const timeoutMs = opts.timeout ? parseTimeout(opts.timeout) : 0;
  const ctrl = new AbortController();
  const timer = timeoutMs > 0 ? setTimeout(() => ctrl.abort(), timeoutMs) : undefined;
  let last = '';
  let outcome: { code: number; error?: string } | undefined;
  const check = (d: Deployment): boolean => {
    const st = rolloutStatus(d);
    if (st.error) outcome = { code: 1, error: st.error };
    else if (st.message !== last) {
      ctx.out.write(st.message + '\n');
      last = st.message;
    }
    if (st.done) outcome = { code: 0 };
    return outcome !== undefined || opts.watch === false;
  };
  try {
    for (let round = 0; round < 100_000 && !ctrl.signal.aborted; round++) {
      let d: Deployment;
      try {
        d = await getDeploy();
      } catch (err) {
        if (isNotFound(err)) throw new CliError(`deployments.apps "${name}" not found`);
        throw err;
      }
      if (check(d)) break;
      await watchStream<Deployment>(
        ctx.client,
        resourcePath(RESOURCES.deployments, ctx.namespace),
        { fieldSelector: `metadata.name=${name}`, resourceVersion: d.metadata.resourceVersion },
        (ev) => (ev.type === 'MODIFIED' || ev.type === 'ADDED') && check(ev.object) ? 'stop' : undefined,
        { signal: ctrl.signal },
      ).catch((err: unknown) => {
        if (!ctrl.signal.aborted) throw err;
      });
      if (outcome) break;
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (!outcome && ctrl.signal.aborted) throw new CliError('timed out waiting for the condition');
  if (outcome?.error) throw new CliError(outcome.error);
  return outcome?.code ?? 0;
}

export function parseTimeout(s: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(s);
  if (!m) throw new CliError(`invalid timeout ${s}`);
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
}
