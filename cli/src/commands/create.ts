/**
 * `mkctl create -f` (POST each manifest object, `<kind>/<name> created`) and the generators
 * `create namespace|configmap|secret generic|deployment|serviceaccount`. A server error for one object is
 * printed and the others still go; the exit code is 1 if any failed.
 */
import { RESOURCES, resourcePath, type KubeObject } from '@mk8s/shared';
import type { Context } from '../context.js';
import { formatError } from '../errors.js';
import { readManifests } from '../manifests.js';
import { objectName } from '../resource-args.js';
import { targetOf } from '../targets.js';
import { formatObjects, parseOutput } from '../printers/output.js';
import { CliError } from '../errors.js';
import { buildConfigMap, buildDeployment, buildNamespace, buildSecret, buildServiceAccount, type GeneratorOptions } from './generators.js';

export interface CreateOptions {
  filename?: string[];
  dryRun?: string;
  output?: string;
}

export async function runCreateFiles(ctx: Context, opts: CreateOptions): Promise<number> {
  const manifests = await readManifests(opts.filename ?? []);
  let failed = false;
  for (const m of manifests) {
    try {
      const t = targetOf(ctx, m, { allowGenerateName: true });
      const created = await ctx.client.request<KubeObject>('POST', resourcePath(t.type, t.namespace), {
        body: t.obj,
        query: { fieldManager: 'kubectl-create', dryRun: opts.dryRun === 'server' ? 'All' : undefined },
      });
      ctx.out.write(`${objectName(t.type, created.metadata.name ?? t.name)} created${opts.dryRun === 'server' ? ' (server dry run)' : ''}\n`);
    } catch (err) {
      failed = true;
      ctx.err.write(formatError(err) + '\n');
    }
  }
  return failed ? 1 : 0;
}

export type GeneratorKind = 'namespace' | 'configmap' | 'secret' | 'deployment' | 'serviceaccount';

export async function runCreateGenerated(ctx: Context, kind: GeneratorKind, name: string, opts: GeneratorOptions & CreateOptions): Promise<number> {
  const type = {
    namespace: RESOURCES.namespaces,
    configmap: RESOURCES.configmaps,
    secret: RESOURCES.secrets,
    deployment: RESOURCES.deployments,
    serviceaccount: RESOURCES.serviceaccounts,
  }[kind];
  const ns = type.namespaced ? ctx.namespace : undefined;
  const obj: KubeObject =
    kind === 'namespace'
      ? buildNamespace(name)
      : kind === 'configmap'
        ? buildConfigMap(name, ns!, opts)
        : kind === 'secret'
          ? buildSecret(name, ns!, opts)
          : kind === 'serviceaccount'
            ? buildServiceAccount(name, ns!)
            : buildDeployment(name, ns!, opts);
  if (opts.dryRun === 'client') {
    const fmt = parseOutput(opts.output);
    if (fmt.kind === 'table') ctx.out.write(`${objectName(type, name)} created (dry run)\n`);
    else ctx.out.write(formatObjects([obj], fmt, true));
    return 0;
  }
  if (opts.dryRun !== undefined && opts.dryRun !== 'server' && opts.dryRun !== 'none') throw new CliError(`Invalid dry-run value (${opts.dryRun}). Must be "none", "server", or "client".`);
  const created = await ctx.client.request<KubeObject>('POST', resourcePath(type, ns), {
    body: obj,
    query: { fieldManager: 'kubectl-create', dryRun: opts.dryRun === 'server' ? 'All' : undefined },
  });
  const fmt = parseOutput(opts.output);
  if (fmt.kind === 'table') ctx.out.write(`${objectName(type, created.metadata.name ?? name)} created\n`);
  else ctx.out.write(formatObjects([created], fmt, true));
  return 0;
}
