/**
 * Rows for rbac.authorization.k8s.io/v1, as a real apiserver renders them for `kubectl get`:
 * Roles and ClusterRoles have no printer in Kubernetes and get the default table (NAME and
 * CREATED AT, the creationTimestamp in RFC 3339 UTC); RoleBindings and ClusterRoleBindings
 * show NAME, ROLE (`Kind/name`), AGE and the wide USERS, GROUPS, SERVICEACCOUNTS, the service
 * accounts as `namespace/name` (an empty namespace prints as `/name`, as Kubernetes does).
 */
import type { ClusterRoleBinding, RoleBinding, Subject } from '@mk8s/shared';
import { translateTimestampSince } from './duration.js';
import { AGE_DESCRIPTION, ageColumn, column, nameColumn } from './format.js';
import type { KindPrinter } from './types.js';

/** Go's zero time formatted as RFC 3339, what the default table shows for a missing timestamp. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** `2026-01-01T00:00:00Z`: RFC 3339 in UTC with whole seconds, as Go's time.RFC3339. */
export function rfc3339(timestamp: string | null | undefined): string {
  const t = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(t)) return ZERO_TIME;
  return new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The apiserver's default Table (rest.NewDefaultTableConvertor), used by kinds without a printer there. */
export const defaultTablePrinter: KindPrinter = {
  columns: [nameColumn(), column('Created At', 'date', AGE_DESCRIPTION)],
  print(obj) {
    return { cells: [obj.metadata.name ?? '', rfc3339(obj.metadata.creationTimestamp)] };
  },
};

/** Users, groups and service accounts of a binding, each in subject order (rbac SubjectsStrings). */
export function subjectsStrings(subjects: Subject[] | undefined): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of Array.isArray(subjects) ? subjects : []) {
    if (s.kind === 'ServiceAccount') out.serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') out.users.push(s.name);
    else if (s.kind === 'Group') out.groups.push(s.name);
  }
  return out;
}

function bindingPrinter(what: 'roleBinding' | 'clusterRoleBinding', roleDescription: string): KindPrinter {
  return {
    columns: [
      nameColumn(),
      column('Role', 'string', roleDescription),
      ageColumn(),
      column('Users', 'string', `Users in the ${what}`, 1),
      column('Groups', 'string', `Groups in the ${what}`, 1),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    print(obj, now) {
      const b = obj as RoleBinding | ClusterRoleBinding;
      const { users, groups, serviceAccounts } = subjectsStrings(b.subjects);
      return {
        cells: [
          b.metadata.name ?? '',
          `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
          translateTimestampSince(b.metadata.creationTimestamp, now),
          users.join(', '),
          groups.join(', '),
          serviceAccounts.join(', '),
        ],
      };
    },
  };
}

export const roleBindingPrinter = bindingPrinter(
  'roleBinding',
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
);

export const clusterRoleBindingPrinter = bindingPrinter(
  'clusterRoleBinding',
  'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
);
