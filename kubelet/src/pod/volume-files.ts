/**
 * The files of configMap, secret and downwardAPI volumes, and their atomic update in place.
 *
 * `*Files` turn an object into the volume's file set (path -> bytes + mode), honouring
 * `items` (only the listed keys, at their paths; a listed key that is missing is an error,
 * or skipped when the source is optional) and `defaultMode`. `syncFiles(dir, files)` makes `dir` hold
 * exactly that set without ever replacing `dir` itself (containers bind-mount it, so a new
 * directory would be invisible to them): each changed file is written to a temporary file
 * in its directory and renamed over the old one, files no longer wanted are removed.
 * It returns whether anything changed. Paths with `..` or absolute paths are skipped.
 */
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { ConfigMap, Container, KeyToPath, Pod, Secret, Volume } from '@mk8s/shared';
import { resourceFieldValue } from './downward.js';
import { ContainerConfigError, fieldRefValue } from './env.js';

export interface VolumeFile {
  content: Buffer;
  mode: number;
}
export type FileSet = Map<string, VolumeFile>;

const safePath = (p: string): boolean => p !== '' && !isAbsolute(p) && !p.split('/').includes('..');

function keyedFiles(data: Record<string, Buffer>, items: KeyToPath[] | undefined, defaultMode: number, what: string, optional: boolean): FileSet {
  const out: FileSet = new Map();
  if (!items?.length) {
    for (const [k, v] of Object.entries(data)) out.set(k, { content: v, mode: defaultMode });
    return out;
  }
  for (const it of items) {
    const v = data[it.key];
    if (v === undefined && optional) continue;
    if (v === undefined) throw new ContainerConfigError(`configure volume: couldn't find key ${it.key} in ${what}`);
    out.set(it.path, { content: v, mode: it.mode ?? defaultMode });
  }
  return out;
}

export function configMapFiles(cm: ConfigMap | undefined, src: NonNullable<Volume['configMap']>): FileSet {
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm?.data ?? {})) data[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(cm?.binaryData ?? {})) data[k] = Buffer.from(v, 'base64');
  if (!cm) return new Map();
  return keyedFiles(data, src.items, src.defaultMode ?? 0o644, `ConfigMap ${cm.metadata.namespace}/${cm.metadata.name}`, src.optional === true);
}

export function secretFiles(s: Secret | undefined, src: NonNullable<Volume['secret']>): FileSet {
  if (!s) return new Map();
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) data[k] = Buffer.from(v, 'base64');
  return keyedFiles(data, src.items, src.defaultMode ?? 0o644, `Secret ${s.metadata.namespace}/${s.metadata.name}`, src.optional === true);
}

const quoteMap = (m: Record<string, string> | undefined): string =>
  Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m?.[k] ?? '')}`)
    .join('\n');

export function downwardFiles(pod: Pod, src: NonNullable<Volume['downwardAPI']>, nodeName: string): FileSet {
  const out: FileSet = new Map();
  for (const it of src.items ?? []) {
    let value: string;
    if (it.fieldRef) {
      const path = it.fieldRef.fieldPath;
      if (path === 'metadata.labels') value = quoteMap(pod.metadata.labels);
      else if (path === 'metadata.annotations') value = quoteMap(pod.metadata.annotations);
      else value = fieldRefValue(pod, path, { nodeName });
    } else if (it.resourceFieldRef) {
      const c: Container | undefined = pod.spec.containers.find((x) => x.name === it.resourceFieldRef?.containerName) ?? pod.spec.containers[0];
      if (!c) continue;
      value = resourceFieldValue(c, it.resourceFieldRef);
    } else continue;
    out.set(it.path, { content: Buffer.from(value, 'utf8'), mode: it.mode ?? src.defaultMode ?? 0o644 });
  }
  return out;
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, base)));
    else out.push(relative(base, p));
  }
  return out;
}

/** Makes `dir` hold exactly `files` (atomic per file); true when something changed. */
export async function syncFiles(dir: string, files: FileSet): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  let changed = false;
  for (const [path, f] of files) {
    if (!safePath(path)) continue;
    const target = join(dir, path);
    const old = await readFile(target).catch(() => undefined);
    const oldMode = old ? (await stat(target)).mode & 0o7777 : undefined;
    if (old && old.equals(f.content)) {
      if (oldMode !== f.mode) {
        await chmod(target, f.mode);
        changed = true;
      }
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `..tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
    await writeFile(tmp, f.content, { mode: f.mode });
    await chmod(tmp, f.mode);
    await rename(tmp, target);
    changed = true;
  }
  const wanted = new Set([...files.keys()].filter(safePath));
  for (const path of await listFiles(dir)) {
    if (wanted.has(path)) continue;
    await rm(join(dir, path), { force: true });
    changed = true;
  }
  return changed;
}
