/**
 * Where a client finds the apiserver and its credentials: a kubeconfig file (the same format
 * kubectl reads), or explicit server/token/CA settings from flags and environment.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ClientConfig {
  server: string;
  token?: string;
  /** PEM of the CA that signed the apiserver's certificate */
  ca?: string;
  insecureSkipTLSVerify?: boolean;
  userAgent?: string;
  /** per-request timeout for non-watch requests */
  timeoutMs?: number;
  /** default namespace from the kubeconfig context */
  namespace?: string;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string; 'insecure-skip-tls-verify'?: boolean } }[];
  users?: { name: string; user: { token?: string; tokenFile?: string } }[];
}

/** Reads a kubeconfig's current context into a ClientConfig. Throws with a one-line reason. */
export function loadKubeconfig(path: string): ClientConfig {
  let doc: KubeconfigFile;
  try {
    doc = parse(readFileSync(path, 'utf8')) as KubeconfigFile;
  } catch (err) {
    throw new Error(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
  }
  const ctxName = doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context ?? doc.contexts?.[0]?.context;
  if (!ctx) throw new Error(`kubeconfig ${path} has no context`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster) throw new Error(`kubeconfig ${path}: cluster ${ctx.cluster} not found`);
  const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const cfg: ClientConfig = { server: cluster.server };
  if (cluster['certificate-authority-data']) cfg.ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  else if (cluster['certificate-authority']) cfg.ca = readFileSync(cluster['certificate-authority'], 'utf8');
  if (cluster['insecure-skip-tls-verify']) cfg.insecureSkipTLSVerify = true;
  if (user.token) cfg.token = user.token;
  else if (user.tokenFile) cfg.token = readFileSync(user.tokenFile, 'utf8').trim();
  if (ctx.namespace) cfg.namespace = ctx.namespace;
  return cfg;
}

/** Renders a kubeconfig for one cluster and one token user. */
export function renderKubeconfig(opts: { server: string; caPem: string; token: string; user?: string; cluster?: string; namespace?: string }): string {
  const cluster = opts.cluster ?? 'mk8s';
  const user = opts.user ?? 'admin';
  const ca = Buffer.from(opts.caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${cluster}`,
    '  cluster:',
    `    server: ${opts.server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${opts.token}`,
    'contexts:',
    `- name: ${cluster}`,
    '  context:',
    `    cluster: ${cluster}`,
    `    user: ${user}`,
    ...(opts.namespace ? [`    namespace: ${opts.namespace}`] : []),
    `current-context: ${cluster}`,
    '',
  ].join('\n');
}

/**
 * The usual way a component finds its config: --kubeconfig, else explicit
 * server/token/ca (each possibly read from a file), else KUBECONFIG.
 */
export function resolveClientConfig(opts: {
  kubeconfig?: string;
  server?: string;
  token?: string;
  tokenFile?: string;
  caFile?: string;
  userAgent?: string;
}): ClientConfig {
  let cfg: ClientConfig;
  if (opts.kubeconfig) cfg = loadKubeconfig(opts.kubeconfig);
  else if (opts.server) {
    cfg = { server: opts.server };
    if (opts.token) cfg.token = opts.token;
    else if (opts.tokenFile) cfg.token = readFileSync(opts.tokenFile, 'utf8').trim();
    if (opts.caFile) cfg.ca = readFileSync(opts.caFile, 'utf8');
  } else if (process.env.KUBECONFIG) cfg = loadKubeconfig(process.env.KUBECONFIG);
  else throw new Error('no apiserver configured: pass --kubeconfig or --server');
  if (opts.userAgent) cfg.userAgent = opts.userAgent;
  return cfg;
}
