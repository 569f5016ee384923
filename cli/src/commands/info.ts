/**
 * Cluster-level information commands: `api-resources` (from discovery), `version` (client
 * and server /version), `cluster-info` and `config view` (secrets redacted).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RESOURCES, resourcePath, type KubeList, type Service } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { alignRows } from '../printers/table.js';
import { toJson, toYaml } from '../printers/json.js';

export const CLIENT_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-mk8s.0.1.0', platform: `${process.platform}/${process.arch}` };

interface APIResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}
interface APIResourceList {
  groupVersion: string;
  resources: APIResource[];
}
interface APIGroupList {
  groups: { name: string; preferredVersion?: { groupVersion: string }; versions: { groupVersion: string }[] }[];
}

export interface ApiResourcesOptions {
  namespaced?: string;
  output?: string;
  noHeaders?: boolean;
  apiGroup?: string;
}

/** Rows of api-resources, core group first, then groups by name, resources by name. */
export function apiResourceRows(lists: APIResourceList[], opts: ApiResourcesOptions = {}): string[][] {
  const rows: { group: string; cells: string[] }[] = [];
  for (const l of lists) {
    const group = l.groupVersion.includes('/') ? l.groupVersion.split('/')[0]! : '';
    if (opts.apiGroup !== undefined && opts.apiGroup !== group) continue;
    for (const r of l.resources) {
      if (r.name.includes('/')) continue;
      if (r.verbs && r.verbs.length === 0) continue;
      if (opts.namespaced !== undefined && String(r.namespaced) !== opts.namespaced) continue;
      rows.push({ group, cells: [r.name, (r.shortNames ?? []).join(','), l.groupVersion, String(r.namespaced), r.kind] });
    }
  }
  rows.sort((a, b) => (a.group === b.group ? (a.cells[0]! < b.cells[0]! ? -1 : 1) : a.group < b.group ? -1 : 1));
  return rows.map((r) => r.cells);
}

export async function runApiResources(ctx: Context, opts: ApiResourcesOptions): Promise<number> {
  const lists: APIResourceList[] = [await ctx.client.request<APIResourceList>('GET', '/api/v1')];
  const groups = await ctx.client.request<APIGroupList>('GET', '/apis');
  for (const g of groups.groups) {
    const gv = g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion;
    if (!gv) continue;
    try {
      lists.push(await ctx.client.request<APIResourceList>('GET', `/apis/${gv}`));
    } catch (err) {
      ctx.err.write(`error: unable to retrieve the complete list of server APIs: ${gv}: ${(err as Error).message}\n`);
    }
  }
  const rows = apiResourceRows(lists, opts);
  if (opts.output === 'name') {
    for (const r of rows) ctx.out.write(`${r[0]!}${r[2]!.includes('/') ? '.' + r[2]!.split('/')[0]! : ''}\n`);
    return 0;
  }
  const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'];
  ctx.out.write(alignRows(opts.noHeaders ? rows : [header, ...rows]));
  return 0;
}

export async function runVersion(makeCtx: () => Context, opts: { output?: string; client?: boolean }, write: (s: string) => void): Promise<number> {
  let server: Record<string, unknown> | undefined;
  let serverErr: unknown;
  if (!opts.client) {
    try {
      server = await makeCtx().client.request<Record<string, unknown>>('GET', '/version');
    } catch (err) {
      serverErr = err;
    }
  }
  const data = { clientVersion: CLIENT_VERSION, ...(server ? { serverVersion: server } : {}) };
  if (opts.output === 'json') write(toJson(data));
  else if (opts.output === 'yaml') write(toYaml(data));
  else {
    write(`Client Version: ${CLIENT_VERSION.gitVersion}\n`);
    if (server) write(`Server Version: ${String(server.gitVersion ?? '')}\n`);
  }
  if (serverErr) throw serverErr;
  return 0;
}

export async function runClusterInfo(ctx: Context): Promise<number> {
  const server = ctx.config.server.replace(/\/$/, '');
  ctx.out.write(`Kubernetes control plane is running at ${server}\n`);
  const svcs = await ctx.client.request<KubeList<Service>>('GET', resourcePath(RESOURCES.services, 'kube-system'), {
    query: { labelSelector: 'kubernetes.io/cluster-service=true' },
  });
  for (const s of svcs.items) {
    const name = s.metadata.labels?.['kubernetes.io/name'] ?? s.metadata.name ?? '';
    const port = s.spec.ports?.[0];
    const portPart = port?.name ? `:${port.name}` : '';
    ctx.out.write(`${name} is running at ${server}/api/v1/namespaces/kube-system/services/${s.metadata.name ?? ''}${portPart}/proxy\n`);
  }
  ctx.out.write(`\nTo further debug and diagnose cluster problems, use 'mkctl cluster-info dump'.\n`);
  return 0;
}

/** The kubeconfig with credentials and CA data redacted (unless --raw). */
export function redactKubeconfig(doc: Record<string, unknown>, raw: boolean): Record<string, unknown> {
  if (raw) return doc;
  const copy = structuredClone(doc) as { clusters?: { cluster?: Record<string, unknown> }[]; users?: { user?: Record<string, unknown> }[] };
  for (const c of copy.clusters ?? []) if (c.cluster?.['certificate-authority-data']) c.cluster['certificate-authority-data'] = 'DATA+OMITTED';
  for (const u of copy.users ?? []) {
    for (const k of ['token', 'client-key-data', 'client-certificate-data', 'password']) {
      if (u.user?.[k]) u.user[k] = k === 'token' || k === 'password' ? 'REDACTED' : 'DATA+OMITTED';
    }
  }
  return copy as Record<string, unknown>;
}

export function runConfigView(path: string | undefined, opts: { raw?: boolean; output?: string }, write: (s: string) => void): number {
  if (!path) throw new CliError('no kubeconfig found: pass --kubeconfig or set KUBECONFIG');
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new CliError(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
  }
  const out = redactKubeconfig(doc, !!opts.raw);
  write(opts.output === 'json' ? toJson(out) : toYaml(out));
  return 0;
}
