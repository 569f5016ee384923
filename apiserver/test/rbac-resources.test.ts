/**
 * rbac.authorization.k8s.io/v1 Roles, RoleBindings, ClusterRoles and ClusterRoleBindings served
 * to the stock kubectl by a real apiserver over etcd: the `kubectl create role|rolebinding|
 * clusterrole|clusterrolebinding` generators (protobuf bodies from 1.32 on, JSON before), the
 * server-side Tables of `get` (plain and wide), `apply` of a manifest holding all four kinds
 * (created, then unchanged with other kubectl versions), the 422s of validation and of a
 * changed roleRef, `explain` from the OpenAPI v3 models, discovery and `describe`.
 * Only the objects are exercised here, not what they authorize.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '@mk8s/shared';
import { runKubectl, startControlPlane, type TestControlPlane } from '@mk8s/shared/testing';

const NS = 'rbac-e2e';
const RBAC = 'rbac.authorization.k8s.io';
const API = `/apis/${RBAC}/v1`;

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
  await cp.client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
});
afterAll(async () => {
  await cp?.stop();
});

const kubectl = (args: string[], version = '1.32') => runKubectl(cp.kubeconfigFor('admin'), args, version);
const get = <T>(path: string) => cp.client.request<T>('GET', `${API}${path}`);

function writeManifest(name: string, yaml: string): string {
  const path = join(cp.dir, name);
  writeFileSync(path, yaml);
  return path;
}

/** All four kinds in one multi-document manifest; `roleRefName` changes the RoleBinding's role. */
function allKindsManifest(roleRefName = 'applied-role'): string {
  return writeManifest(
    `rbac-all-${roleRefName}.yaml`,
    `apiVersion: ${RBAC}/v1
kind: Role
metadata:
  name: applied-role
  namespace: ${NS}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list]
---
apiVersion: ${RBAC}/v1
kind: RoleBinding
metadata:
  name: applied-binding
  namespace: ${NS}
subjects:
- kind: ServiceAccount
  name: builder
  namespace: ${NS}
- kind: User
  name: carol
  apiGroup: ${RBAC}
roleRef:
  apiGroup: ${RBAC}
  kind: Role
  name: ${roleRefName}
---
apiVersion: ${RBAC}/v1
kind: ClusterRole
metadata:
  name: e2e-applied-aggregate
aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      e2e.example.com/aggregate: "true"
rules: []
---
apiVersion: ${RBAC}/v1
kind: ClusterRoleBinding
metadata:
  name: e2e-applied-binding
subjects:
- kind: Group
  name: e2e-auditors
  apiGroup: ${RBAC}
roleRef:
  apiGroup: ${RBAC}
  kind: ClusterRole
  name: e2e-applied-aggregate
`,
  );
}

/** The blocks `kubectl get a,b` prints, one per resource type, split into lines. */
const blocks = (stdout: string): string[][] => stdout.trim().split(/\n\s*\n/).map((b) => b.split('\n'));
const columns = (line: string | undefined) => line?.trim().split(/\s{2,}/);

describe('rbac objects with the stock kubectl', () => {
  it('creates a role and a rolebinding with the generators, defaulting subject api groups', async () => {
    const role = await kubectl(['-n', NS, 'create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods']);
    expect(role.stderr).toBe('');
    expect(role.stdout.trim()).toBe(`role.${RBAC}/pod-reader created`);
    expect((await get<Role>(`/namespaces/${NS}/roles/pod-reader`)).rules).toEqual([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]);

    const binding = await kubectl(['-n', NS, 'create', 'rolebinding', 'pod-readers', '--role=pod-reader', `--serviceaccount=${NS}:builder`, '--user=alice', '--group=devs']);
    expect(binding.stderr).toBe('');
    expect(binding.stdout.trim()).toBe(`rolebinding.${RBAC}/pod-readers created`);
    const rb = await get<RoleBinding>(`/namespaces/${NS}/rolebindings/pod-readers`);
    expect(rb.roleRef).toEqual({ apiGroup: RBAC, kind: 'Role', name: 'pod-reader' });
    expect(rb.subjects).toEqual(
      expect.arrayContaining([
        { kind: 'User', apiGroup: RBAC, name: 'alice' },
        { kind: 'Group', apiGroup: RBAC, name: 'devs' },
        { kind: 'ServiceAccount', name: 'builder', namespace: NS },
      ]),
    );
  });

  it.each(['1.29', '1.33'])('creates cluster roles and a cluster role binding with kubectl %s', async (version) => {
    const v = version.replace('.', '-');
    const reader = await kubectl(['create', 'clusterrole', `e2e-reader-${v}`, '--verb=get,list,watch', '--resource=pods,services'], version);
    expect(reader.stderr).toBe('');
    expect(reader.stdout.trim()).toBe(`clusterrole.${RBAC}/e2e-reader-${v} created`);
    const health = await kubectl(['create', 'clusterrole', `e2e-health-${v}`, '--verb=get', '--non-resource-url=/healthz', '--non-resource-url=/readyz'], version);
    expect(health.stdout.trim()).toBe(`clusterrole.${RBAC}/e2e-health-${v} created`);
    expect((await get<ClusterRole>(`/clusterroles/e2e-health-${v}`)).rules).toEqual([{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz'] }]);

    const crb = await kubectl(['create', 'clusterrolebinding', `e2e-viewers-${v}`, '--clusterrole=view', '--group=e2e-group', `--serviceaccount=${NS}:builder`], version);
    expect(crb.stderr).toBe('');
    expect(crb.stdout.trim()).toBe(`clusterrolebinding.${RBAC}/e2e-viewers-${v} created`);
    const stored = await get<ClusterRoleBinding>(`/clusterrolebindings/e2e-viewers-${v}`);
    expect(stored.roleRef).toEqual({ apiGroup: RBAC, kind: 'ClusterRole', name: 'view' });
    expect(stored.subjects).toEqual(expect.arrayContaining([{ kind: 'Group', apiGroup: RBAC, name: 'e2e-group' }, { kind: 'ServiceAccount', name: 'builder', namespace: NS }]));
  });

  it('prints roles with CREATED AT and bindings with ROLE and AGE', async () => {
    const r = await kubectl(['-n', NS, 'get', 'roles,rolebindings']);
    expect(r.stderr).toBe('');
    const [roles, bindings] = blocks(r.stdout);
    expect(columns(roles?.[0])).toEqual(['NAME', 'CREATED AT']);
    expect(columns(roles?.find((l) => l.includes('/pod-reader')))).toEqual([`role.${RBAC}/pod-reader`, expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)]);
    expect(columns(bindings?.[0])).toEqual(['NAME', 'ROLE', 'AGE']);
    expect(columns(bindings?.find((l) => l.includes('/pod-readers')))).toEqual([`rolebinding.${RBAC}/pod-readers`, 'Role/pod-reader', expect.stringMatching(/^\d+s$/)]);
  });

  it('adds USERS, GROUPS and SERVICEACCOUNTS with -o wide', async () => {
    const rb = await kubectl(['-n', NS, 'get', 'rolebinding', 'pod-readers', '-o', 'wide']);
    const [header, row] = rb.stdout.trim().split('\n');
    expect(columns(header)).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    expect(row?.split(/\s+/)).toEqual(['pod-readers', 'Role/pod-reader', expect.stringMatching(/^\d+s$/), 'alice', 'devs', `${NS}/builder`]);

    const crb = await kubectl(['get', 'clusterrolebindings', 'e2e-viewers-1-33', '-o', 'wide']);
    const [crbHeader, crbRow] = crb.stdout.trim().split('\n');
    expect(columns(crbHeader)).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    // no users: that cell is blank
    expect(crbRow?.split(/\s+/)).toEqual(['e2e-viewers-1-33', 'ClusterRole/view', expect.stringMatching(/^\d+s$/), 'e2e-group', `${NS}/builder`]);

    const cr = await kubectl(['get', 'clusterrole', 'e2e-reader-1-33']);
    expect(columns(cr.stdout.split('\n')[0])).toEqual(['NAME', 'CREATED AT']);
  });

  it('applies all four kinds from one manifest, then finds them unchanged with other kubectl versions', async () => {
    const path = allKindsManifest();
    const first = await kubectl(['apply', '-f', path]);
    expect(first.stderr).toBe('');
    expect(first.stdout.trim().split('\n')).toEqual([
      `role.${RBAC}/applied-role created`,
      `rolebinding.${RBAC}/applied-binding created`,
      `clusterrole.${RBAC}/e2e-applied-aggregate created`,
      `clusterrolebinding.${RBAC}/e2e-applied-binding created`,
    ]);
    for (const version of ['1.33', '1.27']) {
      const again = await kubectl(['apply', '-f', path], version);
      expect(again.stderr, version).toBe('');
      expect(again.stdout.trim().split('\n'), version).toEqual([
        `role.${RBAC}/applied-role unchanged`,
        `rolebinding.${RBAC}/applied-binding unchanged`,
        `clusterrole.${RBAC}/e2e-applied-aggregate unchanged`,
        `clusterrolebinding.${RBAC}/e2e-applied-binding unchanged`,
      ]);
    }
    const aggregate = await get<ClusterRole>('/clusterroles/e2e-applied-aggregate');
    expect(aggregate.aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { 'e2e.example.com/aggregate': 'true' } }] });
  });

  it('refuses an invalid role and binding with the Kubernetes 422 messages', async () => {
    const role = writeManifest(
      'bad-role.yaml',
      `apiVersion: ${RBAC}/v1
kind: Role
metadata:
  name: bad-role
  namespace: ${NS}
rules:
- verbs: [get]
  nonResourceURLs: [/healthz]
`,
    );
    const r = await kubectl(['create', '-f', role, '-v=6']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`POST https://\\S+/apis/${RBAC}/v1/namespaces/${NS}/roles\\S* 422 Unprocessable Entity`));
    expect(r.stderr).toContain('The Role "bad-role" is invalid: rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs');

    const binding = writeManifest(
      'bad-binding.yaml',
      `apiVersion: ${RBAC}/v1
kind: ClusterRoleBinding
metadata:
  name: bad-binding
subjects:
- kind: ServiceAccount
  name: builder
roleRef:
  apiGroup: ${RBAC}
  kind: Role
  name: pod-reader
`,
    );
    const crb = await kubectl(['apply', '-f', binding]);
    expect(crb.code).not.toBe(0);
    expect(crb.stderr).toContain(
      'The ClusterRoleBinding "bad-binding" is invalid: \n* roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"\n* subjects[0].namespace: Required value',
    );
  });

  it('refuses a changed roleRef with a 422 and keeps the binding', async () => {
    const r = await kubectl(['apply', '-f', allKindsManifest('pod-reader')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'The RoleBinding "applied-binding" is invalid: roleRef: Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"Role","Name":"pod-reader"}: cannot change roleRef',
    );
    expect((await get<RoleBinding>(`/namespaces/${NS}/rolebindings/applied-binding`)).roleRef.name).toBe('applied-role');
  });

  it('explains cluster role rules and binding subjects from the OpenAPI v3 models', async () => {
    const r = await kubectl(['explain', 'clusterrole.rules']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^GROUP:\s+rbac.authorization.k8s.io\nKIND:\s+ClusterRole\nVERSION:\s+v1$/m);
    expect(r.stdout).toContain('FIELD: rules <[]PolicyRule>');
    expect(r.stdout).toMatch(/verbs\s+<\[\]string> -required-/);
    expect(r.stdout).toMatch(/nonResourceURLs\s+<\[\]string>/);
    const rb = await kubectl(['explain', 'rolebinding']);
    expect(rb.stdout).toMatch(/roleRef\s+<RoleRef> -required-/);
    expect(rb.stdout).toMatch(/subjects\s+<\[\]Subject>/);
  });

  it('lists the four resources in discovery and describes a role', async () => {
    const r = await kubectl(['api-resources', `--api-group=${RBAC}`]);
    expect(r.stderr).toBe('');
    const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/));
    expect(rows).toEqual(
      expect.arrayContaining([
        ['clusterrolebindings', `${RBAC}/v1`, 'false', 'ClusterRoleBinding'],
        ['clusterroles', `${RBAC}/v1`, 'false', 'ClusterRole'],
        ['rolebindings', `${RBAC}/v1`, 'true', 'RoleBinding'],
        ['roles', `${RBAC}/v1`, 'true', 'Role'],
      ]),
    );
    expect(rows).toHaveLength(4);

    const d = await kubectl(['-n', NS, 'describe', 'role', 'pod-reader']);
    expect(d.stderr).toBe('');
    expect(d.stdout).toContain('PolicyRule:');
    expect(d.stdout).toMatch(/pods\s+\[\]\s+\[\]\s+\[get list\]/);
  });

  it('edits a binding: the subjects list is replaced as a whole', async () => {
    // kubectl runs an editor with spaces through the shell, with the file appended
    const previous = process.env.KUBE_EDITOR;
    process.env.KUBE_EDITOR = 'sed -i -e s/name:\\ devs/name:\\ admins/';
    try {
      const r = await kubectl(['-n', NS, 'edit', 'rolebinding', 'pod-readers']);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(`rolebinding.${RBAC}/pod-readers edited`);
    } finally {
      if (previous === undefined) delete process.env.KUBE_EDITOR;
      else process.env.KUBE_EDITOR = previous;
    }
    const rb = await get<RoleBinding>(`/namespaces/${NS}/rolebindings/pod-readers`);
    expect(rb.subjects?.filter((s) => s.kind === 'Group')).toEqual([{ kind: 'Group', apiGroup: RBAC, name: 'admins' }]);
    expect(rb.subjects).toHaveLength(3);
  });

  it('deletes a binding and a cluster role', async () => {
    expect((await kubectl(['-n', NS, 'delete', 'rolebinding', 'pod-readers'])).stdout.trim()).toBe(`rolebinding.${RBAC} "pod-readers" deleted`);
    expect((await kubectl(['delete', 'clusterrole', 'e2e-health-1-33'])).stdout.trim()).toBe(`clusterrole.${RBAC} "e2e-health-1-33" deleted`);
    const gone = await kubectl(['-n', NS, 'get', 'rolebinding', 'pod-readers']);
    expect(gone.stderr).toContain(`rolebindings.${RBAC} "pod-readers" not found`);
  });
});
