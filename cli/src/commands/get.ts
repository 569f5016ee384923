/**
 * `mkctl get`: server-side Tables for humans, json/yaml/name/jsonpath for scripts, and
 * `-w` to keep printing one-row Tables as watch events arrive. A missing named object is
 * reported and the others still print; the exit code is 1 if anything failed.
 */
import { resourcePath, type KubeObject } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError, formatError } from '../errors.js';
import { evalPath, parsePath } from '../printers/jsonpath.js';
import { getTable, listAll, watchStream, withKind } from '../api.js';
import { parseResourceArgs, kindName, type ResourceRequest } from '../resource-args.js';
import { parseOutput, formatObjects, type OutputFormat } from '../printers/output.js';
import { alignRows, tableLines, type Table, type TableOptions } from '../printers/table.js';

export interface GetOptions {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  watch?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  sortBy?: string;
  headers?: boolean;
}

export async function runGet(ctx: Context, args: string[], opts: GetOptions): Promise<number> {
  const fmt = parseOutput(opts.output);
  const requests = parseResourceArgs(args);
  const sel = { labelSelector: opts.selector, fieldSelector: opts.fieldSelector };
  const sortKey = opts.sortBy ? sortKeyFor(opts.sortBy) : undefined;
  const nsFor = (r: ResourceRequest): string | undefined => (!r.type.namespaced || (opts.allNamespaces && r.names.length === 0) ? undefined : ctx.namespace);
  let failed = false;
  // kubectl prints what it found first and the errors after it
  const errors: string[] = [];
  const report = (err: unknown): void => {
    failed = true;
    errors.push(formatError(err) + '\n');
  };
  const flushErrors = (): void => {
    for (const e of errors.splice(0)) ctx.err.write(e);
  };

  if (fmt.kind !== 'table') {
    const objs: KubeObject[] = [];
    for (const r of requests) {
      if (r.names.length === 0) {
        try {
          objs.push(...(await listAll(ctx.client, r.type, nsFor(r), sel)).items);
        } catch (err) {
          report(err);
        }
      } else {
        for (const name of r.names) {
          try {
            objs.push(withKind(await ctx.client.request<KubeObject>('GET', resourcePath(r.type, nsFor(r), name)), r.type));
          } catch (err) {
            report(err);
          }
        }
      }
    }
    if (sortKey) objs.sort((a, b) => compareSortValues(sortKey(a), sortKey(b)));
    const single = requests.length === 1 && requests[0]!.names.length === 1;
    // as kubectl: an empty list still prints json/yaml Lists and the custom-columns header
    if (objs.length > 0 || fmt.kind === 'json' || fmt.kind === 'yaml' || fmt.kind === 'custom-columns') {
      if (!(single && objs.length === 0)) ctx.out.write(formatObjects(objs, fmt, single));
    }
    flushErrors();
    if (opts.watch && requests.length === 1 && !failed) await watchObjects(ctx, requests[0]!, nsFor(requests[0]!), sel, fmt);
    return failed ? 1 : 0;
  }

  const multi = requests.length > 1;
  let printedAny = false;
  let lastTable: { table: Table; topts: TableOptions; rv?: string } | undefined;
  for (const r of requests) {
    const tables: Table[] = [];
    if (r.names.length === 0) {
      try {
        tables.push(await getTable(ctx.client, r.type, nsFor(r), undefined, { ...sel, includeObject: sortKey ? 'Object' : undefined }));
      } catch (err) {
        report(err);
      }
    } else {
      for (const name of r.names) {
        try {
          tables.push(await getTable(ctx.client, r.type, nsFor(r), name));
        } catch (err) {
          report(err);
        }
      }
    }
    if (tables.length === 0) continue;
    const merged: Table = { ...tables[0]!, rows: tables.flatMap((t) => t.rows) };
    if (sortKey) merged.rows.sort((a, b) => compareSortValues(sortKey(a.object), sortKey(b.object)));
    const topts: TableOptions = {
      wide: fmt.wide,
      withNamespace: !!opts.allNamespaces && r.type.namespaced,
      showLabels: !!opts.showLabels,
      labelColumns: (opts.labelColumns ?? []).flatMap((l) => l.split(',')).filter(Boolean),
      noHeaders: opts.headers === false,
    };
    if (multi) topts.namePrefix = `${kindName(r.type)}/`;
    lastTable = { table: merged, topts };
    if (tables[0]!.metadata?.resourceVersion) lastTable.rv = tables[0]!.metadata.resourceVersion;
    if (merged.rows.length === 0 && !opts.watch) continue;
    if (printedAny) ctx.out.write('\n');
    ctx.out.write(alignRows(tableLines(merged, topts)));
    printedAny = true;
  }
  flushErrors();
  if (!printedAny && !failed && !opts.watch) {
    const anyNamespaced = requests.some((r) => r.type.namespaced);
    ctx.err.write(anyNamespaced && !opts.allNamespaces ? `No resources found in ${ctx.namespace} namespace.\n` : 'No resources found\n');
  }
  if (opts.watch && lastTable && requests.length === 1 && !failed) {
    const r = requests[0]!;
    const widths = columnWidths(tableLines(lastTable.table, lastTable.topts));
    const query: Record<string, string | undefined> = { ...sel, resourceVersion: lastTable.rv };
    if (r.names.length === 1) query.fieldSelector = `metadata.name=${r.names[0]!}`;
    await watchStream<Table>(ctx.client, resourcePath(r.type, nsFor(r)), query, (ev) => {
      if (ev.type === 'ERROR' || ev.type === 'BOOKMARK' || !ev.object || !Array.isArray(ev.object.rows)) return;
      const rows = tableLines({ ...lastTable.table, ...ev.object, columnDefinitions: ev.object.columnDefinitions ?? lastTable.table.columnDefinitions }, { ...lastTable.topts, noHeaders: true });
      for (const row of rows) ctx.out.write(padRow(row, widths) + '\n');
    }, { table: true });
  }
  return failed ? 1 : 0;
}

async function watchObjects(ctx: Context, r: ResourceRequest, ns: string | undefined, sel: { labelSelector?: string | undefined; fieldSelector?: string | undefined }, fmt: Exclude<OutputFormat, { kind: 'table' }>): Promise<void> {
  const list = r.names.length === 0 ? await listAll(ctx.client, r.type, ns, sel) : undefined;
  const query: Record<string, string | undefined> = { ...sel, resourceVersion: list?.metadata.resourceVersion };
  if (r.names.length === 1) query.fieldSelector = `metadata.name=${r.names[0]!}`;
  await watchStream<KubeObject>(ctx.client, resourcePath(r.type, ns), query, (ev) => {
    if (ev.type === 'ERROR' || ev.type === 'BOOKMARK') return;
    ctx.out.write(formatObjects([withKind(ev.object, r.type)], fmt, true));
  });
}

/** --sort-by: a JSONPath (`.metadata.name` or `{.metadata.name}`) whose first value orders the objects. */
export function sortKeyFor(expr: string): (obj: unknown) => unknown {
  const path = expr.trim().replace(/^\{(.*)\}$/s, '$1');
  let steps: ReturnType<typeof parsePath>;
  try {
    steps = parsePath(path.startsWith('.') || path.startsWith('[') ? path : `.${path}`);
  } catch (err) {
    throw new CliError(`couldn't parse --sort-by ${expr}: ${(err as Error).message}`);
  }
  return (obj) => evalPath(obj, steps)[0];
}

/** Missing values first, numbers numerically, everything else as strings. */
export function compareSortValues(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [typeof a === 'object' ? JSON.stringify(a) : String(a), typeof b === 'object' ? JSON.stringify(b) : String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Column widths as kubectl's tabwriter would compute them for a uniform table. */
export function columnWidths(rows: string[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 6, [...c].length + 3)));
  return widths;
}

export function padRow(row: string[], widths: number[]): string {
  return row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(Math.max(widths[i] ?? 0, c.length + 3)))).join('');
}
