/**
 * rbac.authorization.k8s.io/v1 types: Role and ClusterRole (lists of PolicyRules), RoleBinding
 * and ClusterRoleBinding (subjects granted a role). Field shapes follow the Go types
 * (k8s.io/api/rbac/v1).
 */
import type { KubeObject, LabelSelector } from './meta.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  /** cluster roles only: non-resource paths such as /healthz or /api/* */
  nonResourceURLs?: string[];
}

export interface Role extends KubeObject {
  rules?: PolicyRule[];
}

export interface AggregationRule {
  clusterRoleSelectors?: LabelSelector[];
}

export interface ClusterRole extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: AggregationRule;
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface Subject {
  kind: SubjectKind;
  /** RBAC_GROUP for User and Group, '' for ServiceAccount (the apiserver defaults it) */
  apiGroup?: string;
  name: string;
  /** ServiceAccount subjects: the account's namespace (a RoleBinding's own when empty) */
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

export interface ClusterRoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}
