/**
 * Small formatting helpers shared by the per-kind printers: column definitions, label and
 * selector strings, access modes, container name/image lists. Formats follow kubectl's
 * printers exactly (e.g. `<none>` for an empty label set, sorted keys).
 */
import type { Container, LabelSelector } from '@mk8s/shared';
import type { TableColumnDefinition } from './types.js';

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function column(name: string, type: TableColumnDefinition['type'], description: string, priority = 0): TableColumnDefinition {
  return { name, type, format: '', description, priority };
}

export const nameColumn = (): TableColumnDefinition => ({ name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 });
export const ageColumn = (): TableColumnDefinition => column('Age', 'string', AGE_DESCRIPTION);
export const containersColumn = (): TableColumnDefinition => column('Containers', 'string', 'Names of each container in the template.', 1);
export const imagesColumn = (): TableColumnDefinition => column('Images', 'string', 'Images referenced by each container in the template.', 1);

/** `a=1,b=2` with sorted keys; `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

/** A LabelSelector as a selector string (`app=web,tier in (a,b),!x`); '' for empty or nil. */
export function selectorString(sel: LabelSelector | undefined): string {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
    reqs.push({ key: e.key, text });
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string, or `<none>` when it selects everything/nothing. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  return selectorString(sel) || '<none>';
}

const ACCESS_MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `RWO,ROX` in kubectl's fixed order, duplicates collapsed. */
export function accessModesString(modes: string[] | undefined): string {
  return ACCESS_MODES.filter(([m]) => modes?.includes(m))
    .map(([, short]) => short)
    .join(',');
}

/** Comma-joined container names and images, as the wide columns show them. */
export function containerCells(containers: Container[] | undefined): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
