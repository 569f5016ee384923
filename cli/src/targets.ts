/**
 * Where a manifest object goes: its resource type (from apiVersion/kind), namespace (the
 * object's own, else -n, else default; an explicit -n that disagrees is an error, as in
 * kubectl) and name. Shared by create, apply and delete -f.
 */
import { resourceForKind, type KubeObject, type ResourceType } from '@mk8s/shared';
import type { Context } from './context.js';
import { CliError } from './errors.js';
import type { Manifest } from './manifests.js';

export interface Target {
  type: ResourceType;
  namespace: string | undefined;
  name: string;
  obj: KubeObject;
  source: string;
}

export function targetOf(ctx: Pick<Context, 'namespace' | 'namespaceExplicit'>, m: Manifest, opts: { allowGenerateName?: boolean } = {}): Target {
  const { obj } = m;
  const type = resourceForKind(obj.apiVersion ?? '', obj.kind ?? '');
  const name = obj.metadata.name ?? '';
  if (!type) {
    throw new CliError(`resource mapping not found for name: "${name}" namespace: "${obj.metadata.namespace ?? ''}" from "${m.source}": no matches for kind "${obj.kind ?? ''}" in version "${obj.apiVersion ?? ''}"`);
  }
  if (!name && !(opts.allowGenerateName && obj.metadata.generateName)) {
    throw new CliError(`error when retrieving current configuration of resource from "${m.source}": resource name may not be empty`);
  }
  let namespace: string | undefined;
  if (type.namespaced) {
    const own = obj.metadata.namespace;
    if (own && ctx.namespaceExplicit && own !== ctx.namespace) {
      throw new CliError(`the namespace from the provided object "${own}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${own}' to perform this operation.`);
    }
    namespace = own || ctx.namespace;
    obj.metadata.namespace = namespace;
  }
  return { type, namespace, name, obj, source: m.source };
}
