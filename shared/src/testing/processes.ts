/**
 * Child processes for end-to-end tests: free ports, a managed process whose output is kept
 * for failure messages, and `waitFor` polling. Test-only code.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The repository root (this file lives at shared/{src,dist}/testing/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let kubectlDir: string | undefined;

/**
 * The stock kubectl of one minor version, e.g. kubectlBinary('1.32'): the `kubectl.1.NN`
 * binaries sit beside the `kubectl` on the PATH (or at KUBECTL_PATH).
 */
export function kubectlBinary(version: string): string {
  kubectlDir ??= dirname(realpathSync(process.env.KUBECTL_PATH ?? execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim()));
  return join(kubectlDir, `kubectl.${version}`);
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  /** the exit status (1 when kubectl was killed or failed to start) */
  code: number;
}

/** Runs the stock kubectl of `version` with a kubeconfig; a non-zero exit is a result, not a throw. */
export async function runKubectl(kubeconfig: string, args: string[], version = '1.32', timeoutMs = 60_000): Promise<KubectlResult> {
  try {
    const r = await execFileAsync(kubectlBinary(version), ['--kubeconfig', kubeconfig, ...args], { timeout: timeoutMs });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: unknown };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ManagedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** resolves with the exit code (null when killed by a signal) */
  readonly exited: Promise<number | null>;
  /** the last ~200 KiB of stdout+stderr */
  logs(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone */
  stop(graceMs?: number): Promise<void>;
  kill9(): Promise<void>;
}

export function spawnProcess(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; name?: string } = {}): ManagedProcess {
  const child = spawn(cmd, args, {
    env: { ...process.env, ...opts.env },
    cwd: opts.cwd ?? REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    pid: child.pid ?? -1,
    exited,
    logs: () => out,
    async stop(graceMs = 10_000) {
      if (gone()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
    async kill9() {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Runs a compiled component (`<name>/dist/main.js`) with node. `MK8S_COMPONENT_NODE_ARGS` adds
 * node flags for profiling, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (NODE_OPTIONS refuses those).
 */
export function spawnComponent(name: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): ManagedProcess {
  const nodeArgs = (process.env.MK8S_COMPONENT_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  return spawnProcess(process.execPath, [...nodeArgs, `${REPO_ROOT}${name}/dist/main.js`, ...args], { ...opts, name });
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  message?: string | (() => string);
}

/** Polls `fn` until it returns a truthy value (errors count as falsy) and returns that value. */
export async function waitFor<T>(fn: () => T | Promise<T>, o: WaitOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      const msg = typeof o.message === 'function' ? o.message() : (o.message ?? 'condition not met');
      throw new Error(`timed out after ${o.timeoutMs ?? 30_000}ms: ${msg}${lastErr ? ` (last error: ${(lastErr as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 200));
  }
}
