/**
 * A real control plane for end-to-end tests: etcd on free ports with a temporary data dir,
 * and the apiserver (compiled, `apiserver/dist/main.js`) over HTTPS with a fresh CA and
 * tokens from deploy/pki.sh. `stop()` removes everything it made.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderKubeconfig } from '../client/config.js';
import { RestClient } from '../client/rest.js';
import { freePort, REPO_ROOT, spawnComponent, spawnProcess, waitFor, type ManagedProcess } from './processes.js';

export type ComponentUser = 'admin' | 'scheduler' | 'controller-manager' | 'kubelet' | 'kube-proxy';

const TOKEN_USERS: Record<ComponentUser, string> = {
  admin: 'admin',
  scheduler: 'kube-scheduler',
  'controller-manager': 'kube-controller-manager',
  kubelet: 'kubelet',
  'kube-proxy': 'kube-proxy',
};

export interface Etcd {
  endpoint: string;
  dataDir: string;
  readonly process: ManagedProcess;
  /** stops the process, keeping the data dir */
  kill(): Promise<void>;
  /** starts it again on the same ports and data */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEtcd(dir?: string): Promise<Etcd> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'mk8s-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${client}`;
  const args = [
    '--name', 'test',
    '--data-dir', dataDir,
    '--listen-client-urls', endpoint,
    '--advertise-client-urls', endpoint,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `test=http://127.0.0.1:${peer}`,
    '--log-level', 'error',
    '--quota-backend-bytes', String(4 * 1024 * 1024 * 1024),
  ];
  const launch = async () => {
    const p = spawnProcess('etcd', args, { env: { ETCD_UNSUPPORTED_ARCH: process.arch === 'x64' ? '' : process.arch } });
    await waitFor(async () => (await fetch(`${endpoint}/health`)).ok, {
      timeoutMs: 20_000,
      message: () => `etcd did not become healthy: ${p.logs()}`,
    });
    return p;
  };
  let proc = await launch();
  return {
    endpoint,
    dataDir,
    get process() {
      return proc;
    },
    async kill() {
      await proc.stop(5000);
    },
    async restart() {
      await proc.stop(5000);
      proc = await launch();
    },
    async stop() {
      await proc.stop(5000);
      if (!dir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestControlPlane {
  url: string;
  port: number;
  caPem: string;
  dir: string;
  etcd: Etcd;
  apiserver: ManagedProcess;
  tokens: Record<ComponentUser, string>;
  client: RestClient;
  kubeconfigFor(user: ComponentUser): string;
  /** restarts the apiserver process on the same port (etcd keeps running) */
  restartApiserver(): Promise<void>;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  apiserverArgs?: string[];
  /** sign and accept service account tokens (pki/sa.key, sa.pub), which also turns on the ServiceAccount admission */
  serviceAccounts?: boolean;
  /** extra names and IPs for the serving certificate (e.g. the first address of a custom service range) */
  sans?: string[];
  /** --authorization-mode (default RBAC, as `npm run up` runs it: every component under its own role) */
  authorizationMode?: string;
}

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<TestControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'mk8s-cp-'));
  execFileSync('bash', [join(REPO_ROOT, 'deploy/pki.sh'), join(dir, 'pki'), ...(opts.sans ?? [])], { stdio: 'ignore' });
  const etcd = await startEtcd(join(dir, 'etcd'));
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const pki = (f: string) => join(dir, 'pki', f);
  const args = [
    '--etcd-servers', etcd.endpoint,
    '--bind-address', '127.0.0.1',
    '--secure-port', String(port),
    '--tls-cert-file', pki('apiserver.crt'),
    '--tls-private-key-file', pki('apiserver.key'),
    '--token-auth-file', pki('tokens.csv'),
    '--kubelet-token-file', pki('token-kube-apiserver'),
    ...(opts.serviceAccounts ? ['--service-account-signing-key-file', pki('sa.key'), '--service-account-key-file', pki('sa.pub')] : []),
    '--authorization-mode', opts.authorizationMode ?? 'RBAC',
    ...(opts.apiserverArgs ?? []),
  ];
  const caPem = readFileSync(pki('ca.crt'), 'utf8');
  const tokens = Object.fromEntries(
    (Object.keys(TOKEN_USERS) as ComponentUser[]).map((u) => [u, readFileSync(pki(`token-${TOKEN_USERS[u]}`), 'utf8').trim()]),
  ) as Record<ComponentUser, string>;
  const kubeconfigs = new Map<ComponentUser, string>();
  for (const u of Object.keys(TOKEN_USERS) as ComponentUser[]) {
    const path = join(dir, `${u}.kubeconfig`);
    writeFileSync(path, renderKubeconfig({ server: url, caPem, token: tokens[u], user: TOKEN_USERS[u] }));
    kubeconfigs.set(u, path);
  }
  const start = async () => {
    const p = spawnComponent('apiserver', args, { env: { LOG_LEVEL: process.env.MK8S_TEST_LOG_LEVEL ?? 'warn' } });
    await waitFor(
      async () => {
        if (p.child.exitCode !== null) throw new Error(`apiserver exited: ${p.logs()}`);
        const c = new RestClient({ server: url, ca: caPem, token: tokens.admin });
        try {
          await c.request('GET', '/api/v1/namespaces/default');
          return true;
        } finally {
          c.close();
        }
      },
      { timeoutMs: 30_000, message: () => `apiserver not ready: ${p.logs()}` },
    );
    return p;
  };
  let apiserver = await start();
  const client = new RestClient({ server: url, ca: caPem, token: tokens.admin });
  const cp: TestControlPlane = {
    url,
    port,
    caPem,
    dir,
    etcd,
    get apiserver() {
      return apiserver;
    },
    tokens,
    client,
    kubeconfigFor: (u) => kubeconfigs.get(u)!,
    async restartApiserver() {
      await apiserver.stop();
      apiserver = await start();
    },
    async stop() {
      client.close();
      await apiserver.stop();
      await etcd.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cp;
}
