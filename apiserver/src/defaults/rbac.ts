/**
 * rbac.authorization.k8s.io/v1 defaulting (k8s SetDefaults_RoleBinding,
 * SetDefaults_ClusterRoleBinding, SetDefaults_Subject): an empty roleRef.apiGroup becomes
 * rbac.authorization.k8s.io; an empty subject apiGroup becomes "" for ServiceAccount and
 * rbac.authorization.k8s.io for User and Group (unknown kinds are left for validation).
 * Mutates in place; idempotent.
 */
import { RBAC_GROUP, type ClusterRoleBinding, type RoleBinding, type Subject } from '@mk8s/shared';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultSubject(subject: Subject): void {
  if (subject.apiGroup) return;
  switch (subject.kind) {
    case 'ServiceAccount':
      // Go drops the empty string (omitempty), so the stored object carries no apiGroup
      delete subject.apiGroup;
      break;
    case 'User':
    case 'Group':
      subject.apiGroup = RBAC_GROUP;
      break;
  }
}

export function defaultRoleBinding(binding: RoleBinding | ClusterRoleBinding): void {
  // roleRef is a plain struct in Go: a missing one decodes as empty and is defaulted like one
  if (binding.roleRef === undefined || binding.roleRef === null) binding.roleRef = {} as RoleBinding['roleRef'];
  if (isObj(binding.roleRef) && !binding.roleRef.apiGroup) binding.roleRef.apiGroup = RBAC_GROUP;
  if (Array.isArray(binding.subjects)) for (const s of binding.subjects) if (isObj(s)) defaultSubject(s);
}
