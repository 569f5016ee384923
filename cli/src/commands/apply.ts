/**
 * `mkctl apply -f`: client-side apply like kubectl's. For each object: GET it; if absent,
 * POST it carrying the last-applied-configuration annotation (`created`); if present, send
 * the merge patch computed by apply.ts (`configured`), or nothing (`unchanged`). Errors for
 * one object are printed and the rest continue; exit 1 if any failed.
 */
import { isNotFound, resourcePath, type KubeObject } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError, formatError } from '../errors.js';
import { readManifests } from '../manifests.js';
import { objectName } from '../resource-args.js';
import { targetOf } from '../targets.js';
import { computeApplyPatch, readLastApplied, withLastApplied, LAST_APPLIED, type JsonObject } from '../apply.js';

export interface ApplyOptions {
  filename?: string[];
  dryRun?: string;
}

export async function runApply(ctx: Context, opts: ApplyOptions): Promise<number> {
  const manifests = await readManifests(opts.filename ?? []);
  const dryRun = opts.dryRun === 'server' ? 'All' : undefined;
  const suffix = dryRun ? ' (server dry run)' : '';
  let failed = false;
  for (const m of manifests) {
    try {
      const t = targetOf(ctx, m);
      const path = resourcePath(t.type, t.namespace, t.name);
      const modified = withLastApplied(t.obj as unknown as JsonObject);
      let live: JsonObject;
      try {
        live = await ctx.client.request<JsonObject>('GET', path);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await ctx.client.request<KubeObject>('POST', resourcePath(t.type, t.namespace), {
          body: modified,
          query: { fieldManager: 'kubectl-client-side-apply', dryRun },
        });
        ctx.out.write(`${objectName(t.type, t.name)} created${suffix}\n`);
        continue;
      }
      const last = readLastApplied(live);
      if (!last) {
        ctx.err.write(
          `Warning: resource ${t.type.plural}/${t.name} is missing the ${LAST_APPLIED} annotation which is required by mkctl apply. ` +
            `mkctl apply should only be used on resources created declaratively by either mkctl create --save-config or mkctl apply. The missing annotation will be patched automatically.\n`,
        );
      }
      const patch = computeApplyPatch(last, modified, live);
      if (Object.keys(patch).length === 0) {
        ctx.out.write(`${objectName(t.type, t.name)} unchanged\n`);
        continue;
      }
      await ctx.client.request<KubeObject>('PATCH', path, {
        body: patch,
        contentType: 'application/merge-patch+json',
        query: { fieldManager: 'kubectl-client-side-apply', dryRun },
      });
      ctx.out.write(`${objectName(t.type, t.name)} configured${suffix}\n`);
    } catch (err) {
      failed = true;
      ctx.err.write(formatError(err) + '\n');
    }
  }
  return failed ? 1 : 0;
}

export function assertDryRun(v: string | undefined): void {
  if (v !== undefined && !['none', 'server', 'client'].includes(v)) throw new CliError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}
