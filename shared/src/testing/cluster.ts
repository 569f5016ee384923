/**
 * A whole local cluster for end-to-end tests: a control plane, the scheduler, the
 * controller-manager, N kubelets sharing this machine's Docker daemon as different nodes
 * (each with its own /24 of the pod network and root dir), and optionally kube-proxy, all
 * with short periods so failures show in seconds. `stop()` also removes the nodes'
 * containers. Needs the compiled components (`npx tsc -b`) and the local images.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type TestControlPlane } from './control-plane.js';
import { REPO_ROOT, spawnComponent, waitFor, type ManagedProcess } from './processes.js';

export interface ClusterNode {
  name: string;
  podCIDR: string;
  rootDir: string;
  args: string[];
  process: ManagedProcess;
  /** starts the kubelet again with the same settings (after stop or kill) */
  restart(): Promise<void>;
}

export interface TestCluster {
  cp: TestControlPlane;
  scheduler: ManagedProcess;
  controllerManager: ManagedProcess;
  cmArgs: string[];
  nodes: ClusterNode[];
  kubeProxy?: ManagedProcess;
  /** restarts the controller-manager process with the same flags */
  restartControllerManager(): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes?: number;
  /** distinguishes this cluster's nodes and pod ranges from other tests' (1-200) */
  id: number;
  apiserverArgs?: string[];
  controllerManagerArgs?: string[];
  kubeletArgs?: string[];
  kubeProxy?: boolean;
  /** service account tokens, the ServiceAccount admission and the root CA ConfigMap publisher */
  serviceAccounts?: boolean;
  /** extra names and IPs for the apiserver's serving certificate */
  sans?: string[];
}

/** The first non-internal IPv4 address: where the apiserver can reach kubelets. */
export function hostIPv4(): string {
  for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

export function buildTestImages(): void {
  execFileSync('bash', [join(REPO_ROOT, 'deploy/images/build-test-images.sh')], { stdio: 'ignore' });
}

export function removeNodeContainers(node: string): void {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=mk8s.node=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
}

export async function startCluster(o: ClusterOptions): Promise<TestCluster> {
  buildTestImages();
  const cp = await startControlPlane({ apiserverArgs: ['--default-toleration-seconds', '3', ...(o.apiserverArgs ?? [])], serviceAccounts: o.serviceAccounts, sans: o.sans });
  const log = { env: { LOG_LEVEL: process.env.MK8S_TEST_LOG_LEVEL ?? 'info' } };
  const scheduler = spawnComponent('scheduler', ['--kubeconfig', cp.kubeconfigFor('scheduler'), '--ops-port', '0'], log);
  const cmArgs = [
    '--kubeconfig', cp.kubeconfigFor('controller-manager'), '--ops-port', '0',
    '--node-monitor-grace-period', '4s', '--node-monitor-period', '1s',
    '--horizontal-pod-autoscaler-sync-period', '2s', '--horizontal-pod-autoscaler-downscale-stabilization', '5s',
    '--leader-elect-lease-duration', '4s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '1s',
    ...(o.serviceAccounts ? ['--root-ca-file', join(cp.dir, 'pki', 'ca.crt')] : []),
    ...(o.controllerManagerArgs ?? []),
  ];
  let controllerManager = spawnComponent('controller-manager', cmArgs, log);
  const nodeIP = hostIPv4();
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < (o.nodes ?? 1); i++) {
    const name = `c${o.id}-node-${i}`;
    const podCIDR = `10.244.${o.id}.${i * 64}/26`;
    const rootDir = mkdtempSync(join(tmpdir(), `mk8s-${name}-`));
    const args = [
      '--kubeconfig', cp.kubeconfigFor('kubelet'), '--node-name', name, '--node-ip', nodeIP, '--pod-cidr', podCIDR,
      '--root-dir', rootDir, '--port', '0', '--ops-port', '0', '--node-status-update-frequency', '1', '--node-lease-duration', '4',
      '--sync-frequency', '2', '--crash-backoff-base', '1', '--crash-backoff-max', '4', '--image-backoff-base', '1', '--image-backoff-max', '4',
      ...(o.kubeletArgs ?? []),
    ];
    const node: ClusterNode = {
      name,
      podCIDR,
      rootDir,
      args,
      process: spawnComponent('kubelet', args, log),
      async restart() {
        await node.process.stop();
        node.process = spawnComponent('kubelet', args, log);
      },
    };
    nodes.push(node);
  }
  const kubeProxy = o.kubeProxy ? spawnComponent('kube-proxy', ['--kubeconfig', cp.kubeconfigFor('kube-proxy'), '--ops-port', '0'], log) : undefined;
  await waitFor(
    async () => {
      const list = await cp.client.request<{ items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] }>('GET', '/api/v1/nodes');
      return nodes.every((n) => list.items.some((x) => x.metadata.name === n.name && x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')));
    },
    { timeoutMs: 90_000, message: () => `nodes not ready: ${nodes.map((n) => n.process.logs().slice(-1500)).join('\n---\n')}` },
  );
  return {
    cp,
    scheduler,
    get controllerManager() {
      return controllerManager;
    },
    cmArgs,
    nodes,
    kubeProxy,
    async restartControllerManager() {
      await controllerManager.stop();
      controllerManager = spawnComponent('controller-manager', cmArgs, log);
    },
    async stop() {
      await Promise.all([scheduler.stop(), controllerManager.stop(), ...(kubeProxy ? [kubeProxy.stop()] : []), ...nodes.map((n) => n.process.stop())]);
      for (const n of nodes) {
        removeNodeContainers(n.name);
        try {
          execFileSync('sh', ['-c', `grep ' ${n.rootDir}' /proc/mounts | cut -d' ' -f2 | xargs -r umount -l`], { stdio: 'ignore' });
        } catch {
          // nothing mounted
        }
        rmSync(n.rootDir, { recursive: true, force: true });
      }
      await cp.stop();
    },
  };
}
