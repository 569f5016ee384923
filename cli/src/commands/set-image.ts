/**
 * `mkctl set image TYPE/NAME CONTAINER=IMAGE ... ` (`*=IMAGE` for every container): a
 * strategic merge patch of the containers by name, on pods or on the pod template of
 * deployments, replica sets and replication controllers. Prints `<kind>/<name> image updated`.
 */
import { resourcePath, type Container, type KubeObject, type PodSpec } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError, formatError } from '../errors.js';
import { objectName, parseResourceArgs } from '../resource-args.js';

/** Parses `c=img` pairs. */
export function parseImageArgs(pairs: string[]): Map<string, string> {
  if (pairs.length === 0) throw new CliError('at least one image update is required');
  const out = new Map<string, string>();
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0 || eq === p.length - 1) throw new CliError(`invalid image update ${p}: expected CONTAINER=IMAGE`);
    out.set(p.slice(0, eq), p.slice(eq + 1));
  }
  return out;
}

/** The containers patch for a pod spec, or an error naming a container that does not exist. */
export function imagePatch(spec: PodSpec, images: Map<string, string>): { name: string; image: string }[] {
  const all = [...(spec.initContainers ?? []), ...spec.containers];
  const out: { name: string; image: string }[] = [];
  for (const [name, image] of images) {
    const targets: Container[] = name === '*' ? spec.containers : all.filter((c) => c.name === name);
    if (targets.length === 0) throw new CliError(`unable to find container named "${name}"`);
    for (const c of targets) out.push({ name: c.name, image });
  }
  return out;
}

export async function runSetImage(ctx: Context, args: string[]): Promise<number> {
  const split = args.findIndex((a, i) => i > 0 && /^[^/=]+=/.test(a));
  if (split <= 0) throw new CliError('you must specify a resource and at least one CONTAINER=IMAGE');
  const images = parseImageArgs(args.slice(split));
  let failed = false;
  for (const r of parseResourceArgs(args.slice(0, split))) {
    const ns = r.type.namespaced ? ctx.namespace : undefined;
    for (const name of r.names) {
      try {
        const path = resourcePath(r.type, ns, name);
        const obj = await ctx.client.request<KubeObject & { spec?: PodSpec & { template?: { spec: PodSpec } } }>('GET', path);
        const isPod = r.type.kind === 'Pod';
        const spec = isPod ? obj.spec : obj.spec?.template?.spec;
        if (!spec) throw new CliError(`${objectName(r.type, name)} has no pod template`);
        const containers = imagePatch(spec, images);
        const patch = isPod ? { spec: { containers } } : { spec: { template: { spec: { containers } } } };
        await ctx.client.request('PATCH', path, { body: patch, contentType: 'application/strategic-merge-patch+json' });
        ctx.out.write(`${objectName(r.type, name)} image updated\n`);
      } catch (err) {
        failed = true;
        ctx.err.write(formatError(err) + '\n');
      }
    }
  }
  return failed ? 1 : 0;
}
