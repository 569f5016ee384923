/**
 * rbac.authorization.k8s.io/v1 validation, as Kubernetes' pkg/apis/rbac/validation: policy
 * rules (verbs always; apiGroups and resources for resource rules; nonResourceURLs only in
 * ClusterRoles and never mixed with resource fields), a ClusterRole's aggregationRule
 * selectors, a binding's roleRef (this group; Role or ClusterRole, ClusterRole only for a
 * ClusterRoleBinding; a path-segment name) and subjects (User, Group, ServiceAccount with their
 * apiGroups; ServiceAccount names are DNS subdomains and need a namespace in a
 * ClusterRoleBinding). roleRef cannot change on update. The registry validates metadata
 * (names are path segments: the 'path' name rule). Pure; returns causes.
 */
import { isDNS1123Subdomain, RBAC_GROUP, type AggregationRule, type ClusterRole, type LabelSelector, type ClusterRoleBinding, type PolicyRule, type Role, type RoleBinding, type RoleRef, type Subject } from '@mk8s/shared';
import { arrayOf, child, index, invalid, invalidEach, isObj, isSet, notSupported, required, type FieldCause } from './causes.js';
import { isPathSegmentName, validateLabelSelector } from './meta.js';

/** Go's len() of a string list field: anything that is not a list counts as empty here. */
const count = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

/** A field that must be a list of strings when present. */
function stringList(value: unknown, path: string): FieldCause[] {
  if (!isSet(value)) return [];
  if (!Array.isArray(value)) return [invalid(path, value, 'must be a list of strings')];
  return value.flatMap((v, i) => (typeof v === 'string' ? [] : [invalid(index(path, i), v, 'must be a string')]));
}

export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldCause[] {
  if (!isObj(rule)) return [invalid(path, rule, 'must be an object')];
  const shapes = (['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const).flatMap((f) => stringList(rule[f], child(path, f)));
  if (shapes.length) return shapes;
  const causes: FieldCause[] = [];
  if (count(rule.verbs) === 0) causes.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  if (count(rule.nonResourceURLs) > 0) {
    const urls = child(path, 'nonResourceURLs');
    if (namespaced) causes.push(invalid(urls, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (count(rule.apiGroups) > 0 || count(rule.resources) > 0 || count(rule.resourceNames) > 0) {
      causes.push(invalid(urls, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return causes;
  }
  if (count(rule.apiGroups) === 0) causes.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (count(rule.resources) === 0) causes.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return causes;
}

function validateRules(rules: unknown, namespaced: boolean): FieldCause[] {
  if (!isSet(rules)) return [];
  if (!Array.isArray(rules)) return [invalid('rules', rules, 'must be a list of policy rules')];
  return arrayOf<PolicyRule>(rules).flatMap((r, i) => validatePolicyRule(r, namespaced, index('rules', i)));
}

export function validateRole(role: Role): FieldCause[] {
  return validateRules(role.rules, true);
}

function validateAggregationRule(rule: AggregationRule | undefined): FieldCause[] {
  if (!isSet(rule)) return [];
  if (!isObj(rule)) return [invalid('aggregationRule', rule, 'must be an object')];
  const path = 'aggregationRule.clusterRoleSelectors';
  const selectors = rule.clusterRoleSelectors;
  if (isSet(selectors) && !Array.isArray(selectors)) return [invalid(path, selectors, 'must be a list of label selectors')];
  if (count(selectors) === 0) return [required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  return arrayOf<LabelSelector>(selectors).flatMap((s, i) => validateLabelSelector(s, index(path, i)));
}

export function validateClusterRole(role: ClusterRole): FieldCause[] {
  return [...validateRules(role.rules, false), ...validateAggregationRule(role.aggregationRule)];
}

/** A string field as Go decodes it: absent is "" (a wrong type is reported, then treated as ""). */
function str(obj: object, field: string, path: string, causes: FieldCause[]): string {
  const v = (obj as Record<string, unknown>)[field];
  if (!isSet(v)) return '';
  if (typeof v === 'string') return v;
  causes.push(invalid(child(path, field), v, 'must be a string'));
  return '';
}

function validateRoleRef(ref: RoleRef | undefined, kinds: readonly string[]): FieldCause[] {
  const causes: FieldCause[] = [];
  const r = isObj(ref) ? ref : {};
  if (isSet(ref) && !isObj(ref)) causes.push(invalid('roleRef', ref, 'must be an object'));
  const apiGroup = str(r, 'apiGroup', 'roleRef', causes);
  const kind = str(r, 'kind', 'roleRef', causes);
  const name = str(r, 'name', 'roleRef', causes);
  if (apiGroup !== RBAC_GROUP) causes.push(notSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  if (!kinds.includes(kind)) causes.push(notSupported('roleRef.kind', kind, kinds));
  if (name === '') causes.push(required('roleRef.name'));
  else causes.push(...invalidEach('roleRef.name', name, isPathSegmentName(name)));
  return causes;
}

export function validateSubject(subject: Subject, namespaced: boolean, path: string): FieldCause[] {
  if (!isObj(subject)) return [invalid(path, subject, 'must be an object')];
  const causes: FieldCause[] = [];
  const kind = str(subject, 'kind', path, causes);
  const name = str(subject, 'name', path, causes);
  const apiGroup = str(subject, 'apiGroup', path, causes);
  const namespace = str(subject, 'namespace', path, causes);
  if (name === '') causes.push(required(child(path, 'name')));
  switch (kind) {
    case 'ServiceAccount':
      if (name !== '') causes.push(...invalidEach(child(path, 'name'), name, isDNS1123Subdomain(name)));
      if (apiGroup !== '') causes.push(notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && namespace === '') causes.push(required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) causes.push(notSupported(child(path, 'apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    default:
      causes.push(notSupported(child(path, 'kind'), kind, ['ServiceAccount', 'User', 'Group']));
  }
  return causes;
}

function validateBinding(binding: RoleBinding | ClusterRoleBinding, namespaced: boolean): FieldCause[] {
  const causes = validateRoleRef(binding.roleRef, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']);
  const subjects: unknown = binding.subjects;
  if (isSet(subjects) && !Array.isArray(subjects)) return [...causes, invalid('subjects', subjects, 'must be a list of subjects')];
  arrayOf<Subject>(subjects).forEach((s, i) => causes.push(...validateSubject(s, namespaced, index('subjects', i))));
  return causes;
}

/**
 * `cannot change roleRef`: the bad value is the whole new roleRef, printed as Kubernetes prints
 * its internal RoleRef struct (JSON with the Go field names, which carry no json tags).
 */
function roleRefUnchanged(ref: RoleRef | undefined, old: RoleRef | undefined): FieldCause[] {
  const goRef = (r: RoleRef | undefined) => ({ APIGroup: r?.apiGroup ?? '', Kind: r?.kind ?? '', Name: r?.name ?? '' });
  const now = goRef(isObj(ref) ? ref : undefined);
  const before = goRef(isObj(old) ? old : undefined);
  const same = now.APIGroup === before.APIGroup && now.Kind === before.Kind && now.Name === before.Name;
  return same ? [] : [invalid('roleRef', now, 'cannot change roleRef')];
}

export const validateRoleBinding = (rb: RoleBinding): FieldCause[] => validateBinding(rb, true);
export const validateClusterRoleBinding = (crb: ClusterRoleBinding): FieldCause[] => validateBinding(crb, false);

export const validateRoleBindingUpdate = (rb: RoleBinding, old: RoleBinding): FieldCause[] => [
  ...validateRoleBinding(rb),
  ...roleRefUnchanged(rb.roleRef, old.roleRef),
];

export const validateClusterRoleBindingUpdate = (crb: ClusterRoleBinding, old: ClusterRoleBinding): FieldCause[] => [
  ...validateClusterRoleBinding(crb),
  ...roleRefUnchanged(crb.roleRef, old.roleRef),
];
