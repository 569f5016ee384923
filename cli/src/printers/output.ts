/**
 * The `-o/--output` flag: parsing it, and printing API objects in the structured formats
 * (json, yaml, name, jsonpath, custom-columns). Tables are printed by table.ts. Pure.
 */
import type { KubeObject } from '@mk8s/shared';
import { CliError } from '../errors.js';
import { findResource } from '@mk8s/shared';
import { asList, toJson, toYaml } from './json.js';
import { evalPath, jsonpath, JsonPathError, parsePath } from './jsonpath.js';
import { alignRows } from './table.js';
import { objectName } from '../resource-args.js';

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: string }
  | { kind: 'custom-columns'; columns: { header: string; steps: ReturnType<typeof parsePath> }[] };

export function parseOutput(flag: string | undefined): OutputFormat {
  if (flag === undefined || flag === '') return { kind: 'table', wide: false };
  if (flag === 'wide') return { kind: 'table', wide: true };
  if (flag === 'json' || flag === 'yaml' || flag === 'name') return { kind: flag };
  const m = /^jsonpath=(.*)$/s.exec(flag);
  if (m) {
    const template = m[1]!.replace(/^'(.*)'$/s, '$1');
    if (template === '') throw new CliError('template format specified but no template given');
    return { kind: 'jsonpath', template };
  }
  const cc = /^custom-columns=(.*)$/s.exec(flag);
  if (cc) return { kind: 'custom-columns', columns: parseCustomColumns(cc[1]!) };
  throw new CliError(`unable to match a printer suitable for the output format "${flag}", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml`);
}

/** `NAME:.metadata.name,IMAGES:.spec.containers[*].image` (braces optional). */
export function parseCustomColumns(spec: string): { header: string; steps: ReturnType<typeof parsePath> }[] {
  if (spec === '') throw new CliError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon <= 0) throw new CliError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    const expr = part.slice(colon + 1).trim().replace(/^\{(.*)\}$/s, '$1');
    try {
      return { header: part.slice(0, colon), steps: parsePath(expr.startsWith('.') || expr.startsWith('[') ? expr : `.${expr}`) };
    } catch (err) {
      throw new CliError(`error parsing custom-columns ${part}: ${(err as Error).message}`);
    }
  });
}

/** Go's %v of decoded JSON, as custom-columns prints it: `map[a:1 b:[x y]]`. */
export function goFormat(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goFormat(o[k])}`).join(' ')}]`;
  }
  return v === null || v === undefined ? '<nil>' : String(v);
}

/** Rows for -o custom-columns: several values join with commas, nothing is `<none>`. */
export function customColumnRows(objs: KubeObject[], columns: { header: string; steps: ReturnType<typeof parsePath> }[], headers = true): string[][] {
  const rows = objs.map((o) =>
    columns.map((c) => {
      const vals = evalPath(o, c.steps).filter((v) => v !== undefined && v !== null);
      return vals.length === 0 ? '<none>' : vals.map(goFormat).join(',');
    }),
  );
  return headers ? [columns.map((c) => c.header), ...rows] : rows;
}

/** `kind.group/name` for -o name, from the object's own apiVersion/kind. */
export function nameOf(obj: KubeObject): string {
  const group = obj.apiVersion?.includes('/') ? obj.apiVersion.split('/')[0]! : '';
  const type = findResource(group ? `${obj.kind ?? ''}.${group}` : (obj.kind ?? ''));
  return objectName(type ?? { kind: obj.kind ?? 'unknown', group }, obj.metadata.name ?? '');
}

/**
 * Prints objects in a structured format. `single` prints the object itself rather than a
 * `v1 List` (kubectl does that when exactly one object was named).
 */
export function formatObjects(objs: KubeObject[], fmt: Exclude<OutputFormat, { kind: 'table' }>, single: boolean): string {
  const data: unknown = single && objs.length === 1 ? objs[0] : asList(objs);
  switch (fmt.kind) {
    case 'json':
      return toJson(data);
    case 'yaml':
      return toYaml(data);
    case 'name':
      return objs.map((o) => nameOf(o) + '\n').join('');
    case 'custom-columns':
      return alignRows(customColumnRows(objs, fmt.columns));
    case 'jsonpath':
      try {
        return jsonpath(fmt.template, data);
      } catch (err) {
        if (err instanceof JsonPathError) throw new CliError(`error parsing jsonpath ${fmt.template}, ${err.message}`);
        throw err;
      }
  }
}
