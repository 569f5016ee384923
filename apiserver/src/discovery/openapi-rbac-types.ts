/**
 * OpenAPI models for rbac.authorization.k8s.io/v1: the four kinds (Role, ClusterRole,
 * RoleBinding, ClusterRoleBinding, with their top-level fields: RBAC kinds have no spec) and
 * their parts (PolicyRule, AggregationRule, Subject, RoleRef), in the notation of
 * openapi-types.ts, with the descriptions `kubectl explain` prints (k8s.io/api rbac/v1 docs).
 */
import type { FieldSpec, TypeSpec } from './openapi-types.js';

const RBAC = 'io.k8s.api.rbac.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export interface KindSpec {
  description: string;
  fields: Record<string, FieldSpec>;
  required?: string[];
}

const rules = (what: string): FieldSpec => [`[]#${RBAC}.PolicyRule`, `Rules holds all the PolicyRules for this ${what}`];
const subjects: FieldSpec = [`[]#${RBAC}.Subject`, 'Subjects holds references to the objects the role applies to.'];

export const RBAC_KINDS: Record<string, KindSpec> = {
  Role: {
    description: 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
    fields: { rules: rules('Role') },
  },
  ClusterRole: {
    description: 'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    fields: {
      aggregationRule: [
        `#${RBAC}.AggregationRule`,
        'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If AggregationRule is set, then the Rules are controller managed and direct changes to Rules will be stomped by the controller.',
      ],
      rules: rules('ClusterRole'),
    },
  },
  RoleBinding: {
    description:
      'RoleBinding references a role, but does not contain it.  It can reference a Role in the same namespace or a ClusterRole in the global namespace. It adds who information via Subjects and namespace information by which namespace it exists in.  RoleBindings in a given namespace only have effect in that namespace.',
    required: ['roleRef'],
    fields: {
      roleRef: [
        `#${RBAC}.RoleRef`,
        'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
      ],
      subjects,
    },
  },
  ClusterRoleBinding: {
    description: 'ClusterRoleBinding references a ClusterRole, but not contain it.  It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
    required: ['roleRef'],
    fields: {
      roleRef: [`#${RBAC}.RoleRef`, 'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.'],
      subjects,
    },
  },
};

export const RBAC_TYPES: Record<string, TypeSpec> = {
  [`${RBAC}.PolicyRule`]: {
    description: 'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
    required: ['verbs'],
    fields: {
      apiGroups: [
        '[]string',
        'APIGroups is the name of the APIGroup that contains the resources.  If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups.',
      ],
      nonResourceURLs: [
        '[]string',
        'NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path Since non-resource URLs are not namespaced, this field is only applicable for ClusterRoles referenced from a ClusterRoleBinding. Rules can either apply to API resources (such as "pods" or "secrets") or non-resource URL paths (such as "/api"),  but not both.',
      ],
      resourceNames: ['[]string', 'ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.'],
      resources: ['[]string', "Resources is a list of resources this rule applies to. '*' represents all resources."],
      verbs: ['[]string', "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs."],
    },
  },
  [`${RBAC}.AggregationRule`]: {
    description: 'AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole',
    fields: {
      clusterRoleSelectors: [
        `[]#${META}.LabelSelector`,
        "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added",
      ],
    },
  },
  [`${RBAC}.Subject`]: {
    description:
      'Subject contains a reference to the object or user identities a role binding applies to.  This can either hold a direct API object reference, or a value for non-objects such as user and group names.',
    required: ['kind', 'name'],
    fields: {
      apiGroup: ['string', 'APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.'],
      kind: [
        'string',
        'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount". If the Authorizer does not recognized the kind value, the Authorizer should report an error.',
      ],
      name: ['string', 'Name of the object being referenced.'],
      namespace: [
        'string',
        'Namespace of the referenced object.  If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.',
      ],
    },
  },
  [`${RBAC}.RoleRef`]: {
    description: 'RoleRef contains information that points to the role being used',
    required: ['apiGroup', 'kind', 'name'],
    fields: {
      apiGroup: ['string', 'APIGroup is the group for the resource being referenced'],
      kind: ['string', 'Kind is the type of resource being referenced'],
      name: ['string', 'Name is the name of resource being referenced'],
    },
  },
};
