/**
 * RBAC's escalation check, as Kubernetes' RBAC storage does it: a user may write a Role or
 * ClusterRole only with rules they already hold where it applies (or with the `escalate` verb
 * on that kind), and may bind a role only when they already hold all of its rules where the
 * binding applies (or with the `bind` verb on that role). So a user allowed to write roles
 * cannot use that to give themselves, or anyone, more than they have.
 */
import { ApiError, RBAC_GROUP, type ClusterRole, type KubeObject, type PolicyRule, type RoleBinding } from '@mk8s/shared';
import type { UserInfo } from '../http/auth.js';
import { attributesOf } from './attributes.js';
import type { Authorizer } from './authorizer.js';
import type { RbacAuthorizer, RbacSource } from './rbac.js';

const hasOrStar = (list: readonly string[] | undefined, want: string) => !!list && (list.includes('*') || list.includes(want));

function resourceCovered(owner: readonly string[] | undefined, resource: string): boolean {
  if (hasOrStar(owner, resource)) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && !!owner?.includes(`*${resource.slice(slash)}`);
}

function urlCovered(owner: readonly string[] | undefined, url: string): boolean {
  for (const u of owner ?? []) {
    if (u === '*' || u === url) return true;
    if (u.endsWith('*') && url.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** One rule split into single verb/group/resource/name (or verb/URL) grants; a star stays a star. */
function atoms(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs ?? []) out.push({ verbs: [verb], nonResourceURLs: [url] });
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames?.length ? rule.resourceNames : [undefined];
        for (const name of names) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], ...(name ? { resourceNames: [name] } : {}) });
      }
    }
  }
  return out;
}

function ruleCovers(owner: PolicyRule, atom: PolicyRule): boolean {
  if (!hasOrStar(owner.verbs, atom.verbs[0]!)) return false;
  if (atom.nonResourceURLs) return urlCovered(owner.nonResourceURLs, atom.nonResourceURLs[0]!);
  if (!hasOrStar(owner.apiGroups, atom.apiGroups![0]!) || !resourceCovered(owner.resources, atom.resources![0]!)) return false;
  const ownerNames = owner.resourceNames ?? [];
  if (ownerNames.length === 0) return true;
  return !!atom.resourceNames && ownerNames.includes(atom.resourceNames[0]!);
}

/** The rules of `servant` that no rule of `owner` covers (empty when `owner` covers them all). */
export function uncoveredRules(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  return servant.flatMap(atoms).filter((atom) => !owner.some((o) => ruleCovers(o, atom)));
}

const ruleText = (r: PolicyRule) =>
  r.nonResourceURLs
    ? `{NonResourceURLs:[${r.nonResourceURLs.join(' ')}], Verbs:[${r.verbs.join(' ')}]}`
    : `{APIGroups:[${(r.apiGroups ?? []).map((g) => JSON.stringify(g)).join(' ')}], Resources:[${(r.resources ?? []).map((g) => JSON.stringify(g)).join(' ')}]${r.resourceNames?.length ? `, ResourceNames:[${r.resourceNames.map((n) => JSON.stringify(n)).join(' ')}]` : ''}, Verbs:[${r.verbs.map((v) => JSON.stringify(v)).join(' ')}]}`;

/** Checks RBAC writes by `user`: throws 403 Forbidden where Kubernetes would. */
export class EscalationCheck {
  constructor(
    private readonly authorizer: Authorizer,
    private readonly rbac: RbacAuthorizer,
    private readonly source: RbacSource,
  ) {}

  private allowedVerb(user: UserInfo, verb: string, resource: string, namespace: string, name: string): boolean {
    return this.authorizer.authorize(attributesOf(user, { verb, apiGroup: RBAC_GROUP, apiVersion: 'v1', namespace, resource, name })).allowed;
  }

  /** A Role (namespace set) or ClusterRole being written. */
  checkRole(user: UserInfo, role: KubeObject & { rules?: PolicyRule[] }, resource: 'roles' | 'clusterroles'): void {
    const namespace = role.metadata.namespace ?? '';
    if (this.allowedVerb(user, 'escalate', resource, namespace, role.metadata.name ?? '')) return;
    const missing = uncoveredRules(this.ownerRules(user, namespace), role.rules ?? []);
    if (!missing.length) return;
    const kind = resource === 'roles' ? 'roles' : 'clusterroles';
    throw new ApiError(
      403,
      'Forbidden',
      `${kind}.${RBAC_GROUP} "${role.metadata.name}" is forbidden: user "${user.name}" (groups=${JSON.stringify(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.map(ruleText).join('\n')}`,
      { group: RBAC_GROUP, kind, name: role.metadata.name },
    );
  }

  /** A RoleBinding (namespace set) or ClusterRoleBinding being written. */
  checkBinding(user: UserInfo, binding: RoleBinding, resource: 'rolebindings' | 'clusterrolebindings'): void {
    const namespace = binding.metadata.namespace ?? '';
    const ref = binding.roleRef;
    const roleResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
    // asked in the binding's namespace even for a ClusterRole: a RoleBinding may grant `bind` there
    if (this.allowedVerb(user, 'bind', roleResource, namespace, ref.name)) return;
    const role: ClusterRole | undefined = ref.kind === 'Role' ? this.source.role(namespace, ref.name) : this.source.clusterRole(ref.name);
    const forbidden = (why: string) =>
      new ApiError(403, 'Forbidden', `${resource}.${RBAC_GROUP} "${binding.metadata.name}" is forbidden: ${why}`, { group: RBAC_GROUP, kind: resource, name: binding.metadata.name });
    if (!role) throw forbidden(`${roleResource}.${RBAC_GROUP} "${ref.name}" not found`);
    const missing = uncoveredRules(this.ownerRules(user, namespace), role.rules ?? []);
    if (missing.length) {
      throw forbidden(`user "${user.name}" (groups=${JSON.stringify(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.map(ruleText).join('\n')}`);
    }
  }

  private ownerRules(user: UserInfo, namespace: string): PolicyRule[] {
    const { resource, nonResource } = this.rbac.rulesFor(user, namespace);
    return [...resource, ...nonResource];
  }
}
