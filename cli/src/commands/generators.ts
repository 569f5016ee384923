/**
 * The objects `mkctl create <kind> NAME ...` builds, as kubectl's generators do. Pure apart
 * from reading `--from-file` paths.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ConfigMap, Deployment, Namespace, Secret, ServiceAccount } from '@mk8s/shared';
import { CliError } from '../errors.js';

export interface GeneratorOptions {
  fromLiteral?: string[];
  fromFile?: string[];
  type?: string;
  image?: string[];
  replicas?: string;
  port?: string;
  command?: string[];
}

export function buildNamespace(name: string): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function buildServiceAccount(name: string, namespace: string): ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
}

/** `key=value` literals and `[key=]path` files (a folder adds each regular file in it). */
export function collectData(opts: GeneratorOptions, readFile: (p: string) => Buffer = (p) => readFileSync(p)): Map<string, Buffer> {
  const data = new Map<string, Buffer>();
  const add = (k: string, v: Buffer): void => {
    if (!/^[-._a-zA-Z0-9]+$/.test(k)) throw new CliError(`"${k}" is not a valid key name: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`);
    if (data.has(k)) throw new CliError(`cannot add key ${k}, another key by that name already exists in data`);
    data.set(k, v);
  };
  for (const lit of opts.fromLiteral ?? []) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid literal source ${lit}, expected key=value`);
    add(lit.slice(0, eq), Buffer.from(lit.slice(eq + 1)));
  }
  for (const spec of opts.fromFile ?? []) {
    const eq = spec.indexOf('=');
    const [key, path] = eq > 0 ? [spec.slice(0, eq), spec.slice(eq + 1)] : [undefined, spec];
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new CliError(`error reading ${path}: no such file or directory`);
    }
    if (isDir) {
      if (key) throw new CliError('cannot give a key name for a directory path');
      for (const f of readdirSync(path, { withFileTypes: true })) if (f.isFile()) add(f.name, readFile(join(path, f.name)));
    } else add(key ?? basename(path), readFile(path));
  }
  return data;
}

export function buildConfigMap(name: string, namespace: string, opts: GeneratorOptions): ConfigMap {
  const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } };
  const data: Record<string, string> = {};
  const binary: Record<string, string> = {};
  for (const [k, v] of collectData(opts)) {
    const text = v.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(v)) data[k] = text;
    else binary[k] = v.toString('base64');
  }
  if (Object.keys(data).length) cm.data = data;
  if (Object.keys(binary).length) cm.binaryData = binary;
  return cm;
}

export function buildSecret(name: string, namespace: string, opts: GeneratorOptions): Secret {
  const data: Record<string, string> = {};
  for (const [k, v] of collectData(opts)) data[k] = v.toString('base64');
  const s: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: opts.type ?? 'Opaque' };
  if (Object.keys(data).length) s.data = data;
  return s;
}

/** kubectl names a container after its image: `registry/ns/nginx:1.2` -> `nginx`. */
export function containerNameForImage(image: string): string {
  const last = image.split('/').pop() ?? image;
  const base = last.split('@')[0]!.split(':')[0]!;
  return base.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'container';
}

export function buildDeployment(name: string, namespace: string, opts: GeneratorOptions): Deployment {
  const images = opts.image ?? [];
  if (images.length === 0) throw new CliError('required flag(s) "image" not set');
  const replicas = opts.replicas === undefined ? 1 : Number(opts.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) throw new CliError(`invalid replicas ${opts.replicas ?? ''}`);
  const labels = { app: name };
  const containers = images.map((image) => {
    const c: Deployment['spec']['template']['spec']['containers'][number] = { name: containerNameForImage(image), image, resources: {} };
    if (opts.port) c.ports = [{ containerPort: Number(opts.port) }];
    return c;
  });
  if (opts.command?.length && containers[0]) containers[0].command = opts.command;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } },
  };
}
