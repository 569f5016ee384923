import { describe, expect, it } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, KubeObject, Role, RoleBinding, Subject } from '@mk8s/shared';
import { strategies } from './index.js';
import { messages, mutate, type Mutator } from './testutil.js';

const RBAC = 'rbac.authorization.k8s.io';
const V1 = `${RBAC}/v1`;

const newRole = (m: Mutator<Role> = () => {}) =>
  mutate<Role>({ apiVersion: V1, kind: 'Role', metadata: { name: 'r', namespace: 'ns' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }, m);
const newClusterRole = (m: Mutator<ClusterRole> = () => {}) =>
  mutate<ClusterRole>({ apiVersion: V1, kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }, m);
const newRoleBinding = (m: Mutator<RoleBinding> = () => {}) =>
  mutate<RoleBinding>(
    {
      apiVersion: V1,
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: 'ns' },
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
    },
    m,
  );
const newClusterRoleBinding = (m: Mutator<ClusterRoleBinding> = () => {}) =>
  mutate<ClusterRoleBinding>(
    {
      apiVersion: V1,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'crb' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }],
    },
    m,
  );

/** Loosely typed writes, for values the types forbid but a request body can hold. */
const set = (obj: object, field: string, value: unknown) => ((obj as Record<string, unknown>)[field] = value);

describe('Role and ClusterRole validation', () => {
  it.each<[string, KubeObject, string[]]>([
    ['a resource rule', newRole(), []],
    ['no rules at all', newRole((r) => delete r.rules), []],
    ['a rule without verbs', newRole((r) => (r.rules![0]!.verbs = [])), ['rules[0].verbs: Required value: verbs must contain at least one value']],
    [
      'a resource rule without groups and resources',
      newRole((r) => (r.rules = [{ verbs: ['*'] }])),
      ['rules[0].apiGroups: Required value: resource rules must supply at least one api group', 'rules[0].resources: Required value: resource rules must supply at least one resource'],
    ],
    ['resourceNames with several resources', newRole((r) => (r.rules = [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'secrets'], resourceNames: ['x'] }])), []],
    ['a role with nonResourceURLs', newRole((r) => (r.rules = [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }])), ['rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs']],
    ['a cluster role with nonResourceURLs', newClusterRole(), []],
    [
      'a cluster role rule mixing URLs and resources',
      newClusterRole((r) => (r.rules = [{ verbs: ['get'], nonResourceURLs: ['/api/*'], resources: ['pods'] }])),
      ['rules[0].nonResourceURLs: Invalid value: ["/api/*"]: rules cannot apply to both regular resources and non-resource URLs'],
    ],
    ['verbs not a list', newRole((r) => set(r.rules![0]!, 'verbs', 'get')), ['rules[0].verbs: Invalid value: "get": must be a list of strings']],
    ['an aggregation rule', newClusterRole((r) => (r.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-view': 'true' } }] })), []],
    [
      'an aggregation rule without selectors',
      newClusterRole((r) => (r.aggregationRule = {})),
      ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil'],
    ],
  ])('%s', (_name, obj, want) => {
    expect(messages(obj.kind, obj)).toEqual(want);
  });
});

describe('RoleBinding and ClusterRoleBinding validation', () => {
  const sub = (s: Partial<Subject>) => (b: RoleBinding | ClusterRoleBinding) => (b.subjects = [s as Subject]);
  it.each<[string, KubeObject, string[]]>([
    ['a service account subject', newRoleBinding(), []],
    ['a binding without subjects', newRoleBinding((b) => delete b.subjects), []],
    ['user and group subjects get their apiGroup defaulted', newRoleBinding((b) => (b.subjects = [{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'devs' }])), []],
    ['a RoleBinding to a ClusterRole', newRoleBinding((b) => (b.roleRef = { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' })), []],
    ['a roleRef without apiGroup is defaulted', newRoleBinding((b) => set(b.roleRef, 'apiGroup', '')), []],
    ['a roleRef in another group', newRoleBinding((b) => (b.roleRef.apiGroup = 'example.com')), ['roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"']],
    ['a roleRef of another kind', newRoleBinding((b) => set(b.roleRef, 'kind', 'Pod')), ['roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"']],
    ['a ClusterRoleBinding to a Role', newClusterRoleBinding((b) => (b.roleRef.kind = 'Role')), ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"']],
    ['a roleRef without name', newRoleBinding((b) => (b.roleRef.name = '')), ['roleRef.name: Required value']],
    ['a roleRef name with a slash', newRoleBinding((b) => (b.roleRef.name = 'a/b')), ['roleRef.name: Invalid value: "a/b": may not contain \'/\'']],
    ['no roleRef at all', newRoleBinding((b) => set(b, 'roleRef', undefined)), ['roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"', 'roleRef.name: Required value']],
    ['a subject of an unknown kind', newRoleBinding(sub({ kind: 'Robot' as Subject['kind'], name: 'x' })), ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"']],
    ['a subject without name', newRoleBinding(sub({ kind: 'User' })), ['subjects[0].name: Required value']],
    [
      'a service account name that is no DNS subdomain',
      newRoleBinding(sub({ kind: 'ServiceAccount', name: 'Bad_Name' })),
      [
        "subjects[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    ],
    ['a service account in the rbac group', newRoleBinding(sub({ kind: 'ServiceAccount', name: 'sa', apiGroup: RBAC })), ['subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""']],
    ['a user in the core group', newRoleBinding(sub({ kind: 'User', name: 'alice', apiGroup: 'v1' })), ['subjects[0].apiGroup: Unsupported value: "v1": supported values: "rbac.authorization.k8s.io"']],
    ['a RoleBinding service account without namespace', newRoleBinding(sub({ kind: 'ServiceAccount', name: 'sa' })), []],
    ['a ClusterRoleBinding service account without namespace', newClusterRoleBinding(sub({ kind: 'ServiceAccount', name: 'sa' })), ['subjects[0].namespace: Required value']],
    ['a ClusterRoleBinding with a group', newClusterRoleBinding(sub({ kind: 'Group', name: 'system:masters' })), []],
  ])('%s', (_name, obj, want) => {
    expect(messages(obj.kind, obj)).toEqual(want);
  });
});

describe('RBAC defaults', () => {
  it('fills subject apiGroups by kind and the roleRef group, and drops an empty service account group', () => {
    const b = newRoleBinding((x) => {
      x.subjects = [{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'devs', apiGroup: '' }, { kind: 'ServiceAccount', name: 'sa', apiGroup: '' }, { kind: 'Robot' as Subject['kind'], name: 'r2' }];
      set(x.roleRef, 'apiGroup', '');
    });
    strategies.RoleBinding!.default!(b);
    expect(b.subjects).toEqual([
      { kind: 'User', name: 'alice', apiGroup: RBAC },
      { kind: 'Group', name: 'devs', apiGroup: RBAC },
      { kind: 'ServiceAccount', name: 'sa' },
      { kind: 'Robot', name: 'r2' },
    ]);
    expect(b.roleRef.apiGroup).toBe(RBAC);
  });
});

describe('binding updates', () => {
  const update = (kind: string, obj: KubeObject, old: KubeObject) => (strategies[kind]!.validateUpdate!(obj, old) ?? []).map((c) => `${c.field}: ${c.message}`);
  it('allows changing subjects', () => {
    expect(update('RoleBinding', newRoleBinding(sub2), newRoleBinding())).toEqual([]);
  });
  it.each<[string, KubeObject, KubeObject, string[]]>([
    [
      'a RoleBinding pointed at another role',
      newRoleBinding((b) => (b.roleRef.name = 'other')),
      newRoleBinding(),
      ['roleRef: Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"Role","Name":"other"}: cannot change roleRef'],
    ],
    [
      'a ClusterRoleBinding pointed at edit',
      newClusterRoleBinding((b) => (b.roleRef.name = 'edit')),
      newClusterRoleBinding(),
      ['roleRef: Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"ClusterRole","Name":"edit"}: cannot change roleRef'],
    ],
  ])('refuses %s', (_name, obj, old, want) => {
    expect(update(obj.kind, obj, old)).toEqual(want);
  });
});

function sub2(b: RoleBinding): void {
  b.subjects = [{ kind: 'User', name: 'bob', apiGroup: RBAC }];
}
