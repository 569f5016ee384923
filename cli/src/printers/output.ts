/**
 * The `-o/--output` flag: parsing it, and printing API objects in the structured formats
 * (json, yaml, name, jsonpath). Tables are printed by table.ts. Pure.
 */
import type { KubeObject } from '@mk8s/shared';
import { CliError } from '../errors.js';
import { findResource } from '@mk8s/shared';
import { asList, toJson, toYaml } from './json.js';
import { jsonpath, JsonPathError } from './jsonpath.js';
import { objectName } from '../resource-args.js';

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: string };

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
  throw new CliError(`unable to match a printer suitable for the output format "${flag}", allowed formats are: json,jsonpath,name,wide,yaml`);
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
    case 'jsonpath':
      try {
        return jsonpath(fmt.template, data);
      } catch (err) {
        if (err instanceof JsonPathError) throw new CliError(`error parsing jsonpath ${fmt.template}, ${err.message}`);
        throw err;
      }
  }
}
