/**
 * `-o json` and `-o yaml` output like kubectl: JSON indented by 4 spaces with sorted keys, YAML with keys
 * sorted and sequences not indented (sigs.k8s.io/yaml style). Lists print as a `v1 List`.
 */
import { stringify } from 'yaml';

/** Keys sorted at every level, as kubectl prints (Go maps marshal sorted). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

export function toJson(obj: unknown): string {
  return JSON.stringify(sortKeys(obj), null, 4) + '\n';
}

export function toYaml(obj: unknown): string {
  // YAML 1.1 quoting ("2024-01-01T00:00:00Z", "yes") as sigs.k8s.io/yaml does, so other YAML 1.1 readers agree
  return stringify(obj, { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
}

export interface ListLike {
  apiVersion: 'v1';
  kind: 'List';
  metadata: { resourceVersion: string };
  items: unknown[];
}

export function asList(items: unknown[]): ListLike {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
