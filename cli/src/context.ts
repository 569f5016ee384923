/**
 * The per-invocation context every command receives: an API client built from the global
 * flags (--kubeconfig, else $KUBECONFIG, else ./.mk8s/kubeconfig; --server, --token and
 * --certificate-authority override),
 * the effective namespace (-n, else the kubeconfig context's, else `default`), and the
 * output streams. Commands never read process.env or global flags themselves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RestClient, loadKubeconfig, type ClientConfig } from '@mk8s/shared';
import { CliError } from './errors.js';

export interface GlobalOptions {
  kubeconfig?: string;
  namespace?: string;
  server?: string;
  token?: string;
  certificateAuthority?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface Output {
  write(s: string | Uint8Array): void;
}

/** What exec reads: process.stdin in real use, any stream in tests. */
export interface Input extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export interface Context {
  client: RestClient;
  config: ClientConfig;
  /** the effective namespace */
  namespace: string;
  /** true when -n was given explicitly */
  namespaceExplicit: boolean;
  out: Output;
  err: Output;
  /** read lazily: touching process.stdin when it is not needed can keep the process alive */
  stdin: () => Input;
  /** terminal size for exec -t */
  terminalSize: () => { columns: number; rows: number };
  /** path of the kubeconfig in use, if any */
  kubeconfigPath?: string;
}

/** Picks the kubeconfig path: flag, then env, then ./.mk8s/kubeconfig (if it exists). */
export function kubeconfigPath(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (flag) return flag;
  const fromEnv = env.KUBECONFIG?.split(':').find((p) => p !== '');
  if (fromEnv) return fromEnv;
  const local = resolve(cwd, '.mk8s/kubeconfig');
  return existsSync(local) ? local : undefined;
}

export function buildConfig(opts: GlobalOptions, path: string | undefined): ClientConfig {
  let cfg: ClientConfig | undefined;
  if (path) cfg = loadKubeconfig(path);
  if (opts.server) cfg = { ...(cfg ?? {}), server: opts.server };
  if (!cfg) throw new CliError('no configuration found: pass --kubeconfig, set KUBECONFIG, or create .mk8s/kubeconfig');
  if (opts.token) cfg.token = opts.token;
  if (opts.certificateAuthority) {
    try {
      cfg.ca = readFileSync(opts.certificateAuthority, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read --certificate-authority ${opts.certificateAuthority}: ${(err as Error).message}`);
    }
  }
  if (opts.insecureSkipTlsVerify) cfg.insecureSkipTLSVerify = true;
  cfg.userAgent = 'mkctl/0.1.0';
  return cfg;
}

export function createContext(opts: GlobalOptions): Context {
  const path = kubeconfigPath(opts.kubeconfig, process.env, process.cwd());
  const config = buildConfig(opts, path);
  const ctx: Context = {
    client: new RestClient(config),
    config,
    namespace: opts.namespace ?? config.namespace ?? 'default',
    namespaceExplicit: opts.namespace !== undefined,
    out: { write: (s) => process.stdout.write(s) },
    err: { write: (s) => process.stderr.write(s) },
    stdin: () => process.stdin,
    terminalSize: () => ({ columns: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24 }),
  };
  if (path) ctx.kubeconfigPath = path;
  return ctx;
}
