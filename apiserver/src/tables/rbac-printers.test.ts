import { describe, expect, it } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding, Subject } from '@mk8s/shared';
import { printerFor, toTable } from './table.js';
import { clusterRoleBindingPrinter, defaultTablePrinter, rfc3339, roleBindingPrinter } from './rbac-printers.js';

const NOW = new Date('2026-01-01T00:10:00Z');
const RBAC = 'rbac.authorization.k8s.io';

const binding = (subjects: Subject[] | undefined, roleRef: RoleBinding['roleRef'] = { apiGroup: RBAC, kind: 'Role', name: 'r' }): RoleBinding => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'RoleBinding',
  metadata: { name: 'rb', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' },
  roleRef,
  ...(subjects ? { subjects } : {}),
});

describe('roles and cluster roles', () => {
  it('use the default table: NAME and CREATED AT', () => {
    expect(printerFor('Role')).toBe(defaultTablePrinter);
    expect(printerFor('ClusterRole')).toBe(defaultTablePrinter);
    expect(defaultTablePrinter.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Created At', 'date', 0],
    ]);
  });
  it.each<[string, Role | ClusterRole, unknown[]]>([
    ['a role', { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'r', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' } }, ['r', '2026-01-01T00:00:00Z']],
    ['a cluster role', { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'system:view', creationTimestamp: '2026-03-04T05:06:07Z' } }, ['system:view', '2026-03-04T05:06:07Z']],
    ['no timestamp', { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'x' } }, ['x', '0001-01-01T00:00:00Z']],
  ])('%s', (_name, role, cells) => {
    expect(toTable(role.kind, [role], { now: NOW }).rows[0]?.cells).toEqual(cells);
  });
  it.each([
    ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
    ['2026-01-01T00:00:00.123Z', '2026-01-01T00:00:00Z'],
    ['2026-01-01T02:00:00+02:00', '2026-01-01T00:00:00Z'],
    ['not a time', '0001-01-01T00:00:00Z'],
  ])('rfc3339(%s) = %s', (input, want) => {
    expect(rfc3339(input)).toBe(want);
  });
});

describe('role bindings and cluster role bindings', () => {
  it('have the kubectl columns, subjects only with -o wide', () => {
    for (const p of [roleBindingPrinter, clusterRoleBindingPrinter]) {
      expect(p.columns.map((c) => [c.name, c.priority])).toEqual([
        ['Name', 0],
        ['Role', 0],
        ['Age', 0],
        ['Users', 1],
        ['Groups', 1],
        ['ServiceAccounts', 1],
      ]);
    }
    expect(printerFor('RoleBinding')).toBe(roleBindingPrinter);
    expect(printerFor('ClusterRoleBinding')).toBe(clusterRoleBindingPrinter);
    expect(clusterRoleBindingPrinter.columns[3]?.description).toBe('Users in the clusterRoleBinding');
  });
  it.each<[string, RoleBinding, unknown[]]>([
    ['no subjects', binding(undefined), ['rb', 'Role/r', '10m', '', '', '']],
    [
      'subjects of every kind, in order',
      binding([
        { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
        { kind: 'User', name: 'alice', apiGroup: RBAC },
        { kind: 'Group', name: 'devs', apiGroup: RBAC },
        { kind: 'User', name: 'bob', apiGroup: RBAC },
        { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
      ]),
      ['rb', 'Role/r', '10m', 'alice, bob', 'devs', 'ns/sa, ci/builder'],
    ],
    ['a service account without namespace prints as /name', binding([{ kind: 'ServiceAccount', name: 'sa' }]), ['rb', 'Role/r', '10m', '', '', '/sa']],
    ['a cluster role', binding([], { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' }), ['rb', 'ClusterRole/view', '10m', '', '', '']],
  ])('%s', (_name, rb, cells) => {
    expect(roleBindingPrinter.print(rb, NOW).cells).toEqual(cells);
  });
  it('renders a ClusterRoleBinding the same way', () => {
    const crb: ClusterRoleBinding = {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'readers', creationTimestamp: '2026-01-01T00:09:00Z' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', name: 'system:authenticated', apiGroup: RBAC }],
    };
    expect(toTable('ClusterRoleBinding', [crb], { now: NOW }).rows[0]?.cells).toEqual(['readers', 'ClusterRole/view', '60s', '', 'system:authenticated', '']);
  });
});
