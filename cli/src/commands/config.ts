/**
 * `mkctl config view|current-context|get-contexts|use-context|set-context`: reading and
 * editing the kubeconfig file itself (no server involved). Credentials are redacted in
 * `view` unless --raw.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { CliError } from '../errors.js';
import { alignRows } from '../printers/table.js';

export interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  [k: string]: unknown;
}

export function readKubeconfig(path: string | undefined): KubeconfigDoc {
  if (!path) throw new CliError('no kubeconfig found: pass --kubeconfig or set KUBECONFIG');
  try {
    return (parse(readFileSync(path, 'utf8')) ?? {}) as KubeconfigDoc;
  } catch (err) {
    throw new CliError(`cannot read kubeconfig ${path}: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
}

function save(path: string, doc: KubeconfigDoc): void {
  writeFileSync(path, stringify(doc), { mode: 0o600 });
}

export function currentContext(doc: KubeconfigDoc): string {
  const c = doc['current-context'];
  if (!c) throw new CliError('current-context is not set');
  return c;
}

export function contextRows(doc: KubeconfigDoc): string[][] {
  const rows = [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
  for (const c of doc.contexts ?? []) rows.push([c.name === doc['current-context'] ? '*' : '', c.name, c.context.cluster, c.context.user, c.context.namespace ?? '']);
  return rows;
}

export function runCurrentContext(path: string | undefined, write: (s: string) => void): number {
  write(currentContext(readKubeconfig(path)) + '\n');
  return 0;
}

export function runGetContexts(path: string | undefined, write: (s: string) => void): number {
  write(alignRows(contextRows(readKubeconfig(path))));
  return 0;
}

export function runUseContext(path: string | undefined, name: string, write: (s: string) => void): number {
  const doc = readKubeconfig(path);
  if (!doc.contexts?.some((c) => c.name === name)) throw new CliError(`no context exists with the name: "${name}"`);
  doc['current-context'] = name;
  save(path!, doc);
  write(`Switched to context "${name}".\n`);
  return 0;
}

export function runSetContext(path: string | undefined, name: string | undefined, opts: { current?: boolean; namespace?: string }, write: (s: string) => void): number {
  const doc = readKubeconfig(path);
  const target = opts.current ? currentContext(doc) : name;
  if (!target) throw new CliError('you must specify a context name or --current');
  const ctx = doc.contexts?.find((c) => c.name === target);
  if (!ctx) throw new CliError(`no context exists with the name: "${target}"`);
  if (opts.namespace !== undefined) ctx.context.namespace = opts.namespace;
  save(path!, doc);
  write(`Context "${target}" modified.\n`);
  return 0;
}
