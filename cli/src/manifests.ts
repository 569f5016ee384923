/**
 * Reading manifests for create/apply/delete -f: files, folders (recursively, *.yaml, *.yml,
 * *.json) and `-` for stdin; multi-document YAML, JSON, and `*List` kinds flattened into
 * their items. Every problem is a CliError naming the source. `parseManifests` is pure.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '@mk8s/shared';
import { CliError } from './errors.js';

export interface Manifest {
  /** file path or `STDIN` */
  source: string;
  obj: KubeObject;
}

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** Parses one file's text into objects (documents, JSON, List items). */
export function parseManifests(text: string, source: string): Manifest[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const docList = Array.isArray(docs) ? docs : [docs];
  const out: Manifest[] = [];
  for (const doc of docList) {
    if (doc.errors.length > 0) throw new CliError(`error parsing ${source}: ${doc.errors[0]!.message.split('\n')[0]!}`);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    flatten(value, source, out);
  }
  return out;
}

function flatten(value: unknown, source: string, out: Manifest[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`error validating "${source}": error validating data: the document is not an object`);
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
    for (const item of obj.items) flatten(item, source, out);
    return;
  }
  const missing: string[] = [];
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') missing.push('apiVersion not set');
  if (typeof obj.kind !== 'string' || obj.kind === '') missing.push('kind not set');
  if (missing.length > 0) throw new CliError(`error validating "${source}": error validating data: [${missing.join(', ')}]`);
  if (obj.metadata === undefined) obj.metadata = {};
  if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) {
    throw new CliError(`error validating "${source}": error validating data: metadata is not an object`);
  }
  out.push({ source, obj: obj as unknown as KubeObject });
}

/** Lists manifest files under a folder, sorted, recursively. */
export function manifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...manifestFiles(p));
    else if (MANIFEST_EXT.test(entry.name)) out.push(p);
  }
  return out;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads every `-f` argument in order. */
export async function readManifests(paths: string[], stdin: () => Promise<string> = readStdin): Promise<Manifest[]> {
  if (paths.length === 0) throw new CliError('must specify one of -f and -k');
  const out: Manifest[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(...parseManifests(await stdin(), 'STDIN'));
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new CliError(`the path "${p}" does not exist`);
    }
    const files = isDir ? manifestFiles(p) : [p];
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${f}: ${(err as Error).message}`);
      }
      out.push(...parseManifests(text, f));
    }
  }
  if (out.length === 0) throw new CliError('no objects passed to apply');
  return out;
}
