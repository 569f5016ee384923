/**
 * The RBAC authorizer: a request is allowed when some rule of a role bound to the user allows
 * it - the ClusterRoles of ClusterRoleBindings anywhere, plus the Roles and ClusterRoles of
 * RoleBindings in the request's namespace. Rule matching follows Kubernetes' rbac/v1 helpers:
 * a star matches any verb, group, resource or non-resource path; `pods/log` names a
 * subresource, and a star, a slash and a subresource names that subresource of every resource;
 * an empty resourceNames list matches every name; a non-resource URL ending in a star matches
 * by prefix. There are no deny rules.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from '@mk8s/shared';
import type { Attributes } from './attributes.js';
import type { UserInfo } from '../http/auth.js';

export interface Decision {
  allowed: boolean;
  /** why, when it helps: a missing role, or the binding that allowed it */
  reason: string;
}

/** Where the authorizer reads roles and bindings (the apiserver's watch caches). */
export interface RbacSource {
  clusterRoleBindings(): ClusterRoleBinding[];
  roleBindings(namespace: string): RoleBinding[];
  role(namespace: string, name: string): Role | undefined;
  clusterRole(name: string): ClusterRole | undefined;
}

export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

const has = (list: readonly string[] | undefined, want: string) => !!list && (list.includes('*') || list.includes(want));

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, group);
}

export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, a.verb)) return false;
  if (!a.resourceRequest) return nonResourceURLMatches(rule, a.path);
  return apiGroupMatches(rule, a.apiGroup) && resourceMatches(rule, a.resource, a.subresource) && resourceNameMatches(rule, a.name);
}

/** Whether `subject` names `user`; a ServiceAccount subject without a namespace means the binding's own. */
export function appliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return !!ns && user.name === `${SERVICE_ACCOUNT_USER_PREFIX}${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

const describeBinding = (kind: string, b: RoleBinding | ClusterRoleBinding) =>
  `${kind} "${b.metadata.name}"${b.metadata.namespace ? ` of ${b.roleRef.kind} "${b.roleRef.name}" to ${b.metadata.namespace}` : ` of ${b.roleRef.kind} "${b.roleRef.name}"`}`;

/** A role bound to the user by one binding; `role` is undefined when the binding names a missing role. */
interface BoundRole {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  binding: RoleBinding | ClusterRoleBinding;
  role: Role | ClusterRole | undefined;
}

export class RbacAuthorizer {
  constructor(private readonly source: RbacSource) {}

  /** The roles bound to `user`: cluster-wide ones, then those of RoleBindings in `namespace` (when given). */
  private *boundRoles(user: UserInfo, namespace: string): Generator<BoundRole> {
    for (const b of this.source.clusterRoleBindings()) {
      if (b.roleRef.kind !== 'ClusterRole' || !(b.subjects ?? []).some((s) => appliesTo(user, s, ''))) continue;
      yield { kind: 'ClusterRoleBinding', binding: b, role: this.source.clusterRole(b.roleRef.name) };
    }
    if (!namespace) return;
    for (const b of this.source.roleBindings(namespace)) {
      if (!(b.subjects ?? []).some((s) => appliesTo(user, s, namespace))) continue;
      const role = b.roleRef.kind === 'Role' ? this.source.role(namespace, b.roleRef.name) : this.source.clusterRole(b.roleRef.name);
      yield { kind: 'RoleBinding', binding: b, role };
    }
  }

  authorize(a: Attributes): Decision {
    const errors: string[] = [];
    for (const { kind, binding, role } of this.boundRoles(a.user, a.resourceRequest ? a.namespace : '')) {
      if (!role) {
        errors.push(`${binding.roleRef.kind.toLowerCase()}.rbac.authorization.k8s.io "${binding.roleRef.name}" not found`);
        continue;
      }
      if ((role.rules ?? []).some((r) => ruleAllows(a, r))) return { allowed: true, reason: `RBAC: allowed by ${describeBinding(kind, binding)}` };
    }
    return { allowed: false, reason: errors.length ? `RBAC: ${errors.join(', ')}` : '' };
  }

  /** The rules that apply to `user` in `namespace` (SelfSubjectRulesReview, `kubectl auth can-i --list`). */
  rulesFor(user: UserInfo, namespace: string): { resource: PolicyRule[]; nonResource: PolicyRule[] } {
    const rules = [...this.boundRoles(user, namespace)].flatMap((b) => b.role?.rules ?? []);
    return { resource: rules.filter((r) => !r.nonResourceURLs?.length), nonResource: rules.filter((r) => !!r.nonResourceURLs?.length) };
  }
}
