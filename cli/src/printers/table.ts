/**
 * Printing server-side Tables (meta.k8s.io/v1 Table) the way `kubectl get` does: upper-case
 * headers, priority>0 columns only when wide, optional NAMESPACE column first, optional
 * LABELS column last, NAME cells prefixed with `kind/` when several kinds are printed.
 * Pure: returns strings; the caller writes them.
 */
import { alignTabs, GET_TABS } from './tabwriter.js';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRowObject {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string };
}

export interface TableRow {
  cells: unknown[];
  object?: TableRowObject;
}

export interface Table {
  kind: 'Table';
  apiVersion?: string;
  metadata?: { resourceVersion?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface TableOptions {
  wide?: boolean;
  withNamespace?: boolean;
  showLabels?: boolean;
  /** -L: one column per label key, headed by the key's last segment */
  labelColumns?: string[];
  /** prefix for NAME cells, e.g. `deployment.apps/` */
  namePrefix?: string;
  noHeaders?: boolean;
}

export function isTable(x: unknown): x is Table {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'Table' && Array.isArray((x as Table).rows);
}

/** Renders one cell as kubectl does: empty -> "", numbers as is, lists joined by commas. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(cellText).join(',');
  return JSON.stringify(v);
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** The unaligned, tab-separated lines (header first unless noHeaders) of a Table. */
export function tableLines(table: Table, opts: TableOptions = {}): string[][] {
  const visible = table.columnDefinitions
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => opts.wide || (c.priority ?? 0) === 0);
  const lines: string[][] = [];
  if (!opts.noHeaders) {
    const header = visible.map(({ c }) => c.name.toUpperCase());
    if (opts.withNamespace) header.unshift('NAMESPACE');
    for (const key of opts.labelColumns ?? []) header.push((key.split('/').pop() ?? key).toUpperCase());
    if (opts.showLabels) header.push('LABELS');
    lines.push(header);
  }
  for (const row of table.rows) {
    const cells = visible.map(({ c, i }) => {
      const text = cellText(row.cells[i]);
      return opts.namePrefix && c.name.toLowerCase() === 'name' ? opts.namePrefix + text : text;
    });
    if (opts.withNamespace) cells.unshift(row.object?.metadata?.namespace ?? '');
    for (const key of opts.labelColumns ?? []) cells.push(row.object?.metadata?.labels?.[key] ?? '');
    if (opts.showLabels) cells.push(formatLabels(row.object?.metadata?.labels));
    lines.push(cells);
  }
  return lines;
}

/** Aligns rows of cells like kubectl's tabwriter (minwidth 6, padding 3). */
export function alignRows(rows: string[][]): string {
  if (rows.length === 0) return '';
  return alignTabs(rows.map((r) => r.join('\t')).join('\n') + '\n', GET_TABS);
}

export function printTable(table: Table, opts: TableOptions = {}): string {
  return alignRows(tableLines(table, opts));
}
