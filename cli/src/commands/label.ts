/**
 * `mkctl label` and `mkctl annotate`: read each target, check the changes against its
 * current map (`--overwrite` to change a value), and send a merge patch of just the changed
 * keys. Prints `<kind>/<name> labeled|unlabeled|not labeled` (annotated likewise).
 */
import { resourcePath, type KubeObject } from '@mk8s/shared';
import type { Context } from '../context.js';
import { formatError } from '../errors.js';
import { listAll } from '../api.js';
import { objectName, parseResourceArgs } from '../resource-args.js';
import { parseKeyChanges, planKeyChanges, splitLabelArgs } from '../label-args.js';
import { formatObjects, parseOutput } from '../printers/output.js';
import { CliError } from '../errors.js';

export interface LabelOptions {
  overwrite?: boolean;
  selector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  output?: string;
  resourceVersion?: string;
}

export async function runLabel(ctx: Context, kind: 'label' | 'annotation', args: string[], opts: LabelOptions): Promise<number> {
  const { resourceArgs, changes } = splitLabelArgs(args);
  const parsed = parseKeyChanges(changes, kind);
  const requests = parseResourceArgs(resourceArgs);
  const field = kind === 'label' ? 'labels' : 'annotations';
  const verb = kind === 'label' ? 'labeled' : 'annotated';
  const fmt = parseOutput(opts.output);
  let failed = false;
  const targets: { obj: KubeObject; r: (typeof requests)[number] }[] = [];
  for (const r of requests) {
    const ns = r.type.namespaced ? (opts.allNamespaces ? undefined : ctx.namespace) : undefined;
    if (r.names.length === 0) {
      if (!opts.selector && !opts.all) throw new CliError('resource(s) were provided, but no name was specified');
      const list = await listAll(ctx.client, r.type, ns, { labelSelector: opts.selector });
      targets.push(...list.items.map((obj) => ({ obj, r })));
      continue;
    }
    for (const name of r.names) {
      try {
        targets.push({ obj: await ctx.client.request<KubeObject>('GET', resourcePath(r.type, ns, name)), r });
      } catch (err) {
        failed = true;
        ctx.err.write(formatError(err) + '\n');
      }
    }
  }
  if (opts.resourceVersion && targets.length > 1) throw new CliError('--resource-version may only be used with a single resource');
  for (const { obj, r } of targets) {
    const name = obj.metadata.name ?? '';
    const ns = r.type.namespaced ? obj.metadata.namespace : undefined;
    try {
      const plan = planKeyChanges(obj.metadata[field], parsed, !!opts.overwrite);
      let result = obj;
      if (plan.changed) {
        const metadata: Record<string, unknown> = { [field]: plan.patch };
        if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
        result = await ctx.client.request<KubeObject>('PATCH', resourcePath(r.type, ns, name), {
          body: { metadata },
          contentType: 'application/merge-patch+json',
        });
      }
      if (fmt.kind !== 'table') {
        ctx.out.write(formatObjects([result], fmt, true));
        continue;
      }
      if (kind === 'label') for (const k of parsed.remove) if (!(k in (obj.metadata.labels ?? {}))) ctx.out.write(`label "${k}" not found.\n`);
      // kubectl reports "not labeled" for a no-op label, but always "annotated"
      const msg = kind === 'annotation' ? verb : !plan.changed ? `not ${verb}` : plan.onlyRemovals ? `un${verb}` : verb;
      ctx.out.write(`${objectName(r.type, name)} ${msg}\n`);
    } catch (err) {
      failed = true;
      ctx.err.write(formatError(err) + '\n');
    }
  }
  return failed ? 1 : 0;
}
