/**
 * Turning kubectl-style resource arguments into resource types and names:
 * `pods`, `po,svc`, `pod web-1 web-2`, `pod/web-1 svc/web`, and `all` (every kind in the
 * `all` category). Also kubectl's printable names: `deployment.apps/web`, `pod/x`.
 * Pure except for the static resource table from shared.
 */
import { ALL_RESOURCES, findResource, type ResourceType } from '@mk8s/shared';
import { CliError } from './errors.js';

export interface ResourceRequest {
  type: ResourceType;
  /** empty = list all */
  names: string[];
}

export function resolveType(arg: string): ResourceType {
  if (arg === '') throw new CliError('resource type must not be empty');
  const t = findResource(arg);
  if (!t) throw new CliError(`the server doesn't have a resource type "${arg}"`);
  return t;
}

/** Expands `all` and comma lists into types, in the order given, without duplicates. */
export function resolveTypes(arg: string): ResourceType[] {
  const out: ResourceType[] = [];
  for (const part of arg.split(',')) {
    const types = part.toLowerCase() === 'all' ? ALL_RESOURCES.filter((r) => r.categories?.includes('all')) : [resolveType(part)];
    for (const t of types) if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** Parses the positional arguments of get/describe/delete/label. */
export function parseResourceArgs(args: string[]): ResourceRequest[] {
  if (args.length === 0) throw new CliError('You must specify the type of resource to get. Use "mkctl api-resources" for a complete list of supported resources.');
  if (args.some((a) => a.includes('/'))) {
    const out: ResourceRequest[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash <= 0 || slash === a.length - 1) throw new CliError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'mkctl get resource/<resource_name>' instead of 'mkctl get resource resource/<resource_name>'`);
      const type = resolveType(a.slice(0, slash));
      const name = a.slice(slash + 1);
      const existing = out.find((r) => r.type === type);
      if (existing) existing.names.push(name);
      else out.push({ type, names: [name] });
    }
    return out;
  }
  const [first, ...names] = args;
  const types = resolveTypes(first!);
  if (names.length > 0 && types.length > 1) throw new CliError('you may only specify a single resource type when naming objects');
  return types.map((type) => ({ type, names: [...names] }));
}

/** kubectl's `kind.group` form: `deployment.apps`, `pod`. */
export function kindName(type: Pick<ResourceType, 'kind' | 'group'>): string {
  return type.group ? `${type.kind.toLowerCase()}.${type.group}` : type.kind.toLowerCase();
}

/** `deployment.apps/web` */
export function objectName(type: Pick<ResourceType, 'kind' | 'group'>, name: string): string {
  return `${kindName(type)}/${name}`;
}

/** kubectl's plural qualified name used in delete messages: `pod "x" deleted` uses the kind. */
export function deletedMessage(type: Pick<ResourceType, 'kind' | 'group'>, name: string): string {
  return `${kindName(type)} "${name}" deleted`;
}
