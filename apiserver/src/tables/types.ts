/**
 * meta.k8s.io/v1 Table, the server-side rendering `kubectl get` asks for. Cells follow the
 * column definitions one to one; `priority: 1` columns only show with `-o wide`, but the
 * server always sends them (kubectl hides them).
 */
import type { KubeObject, ListMeta, ObjectMeta } from '@mk8s/shared';

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean;

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  object?: PartialObjectMetadata | KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** What a kind's printer produces for one object. */
export interface PrintedRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
}

/** A kind's columns and its row function; `now` makes ages deterministic in tests. */
export interface KindPrinter {
  columns: TableColumnDefinition[];
  print(obj: KubeObject, now: Date): PrintedRow;
}
