/**
 * `-o json` and `-o yaml` output like kubectl: JSON indented by 4 spaces, YAML with keys
 * sorted and sequences not indented (sigs.k8s.io/yaml style). Lists print as a `v1 List`.
 */
import { stringify } from 'yaml';

export function toJson(obj: unknown): string {
  return JSON.stringify(obj, null, 4) + '\n';
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
