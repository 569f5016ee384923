/**
 * A whole small cluster for kube-proxy's end-to-end tests: control plane, scheduler,
 * controller-manager, two kubelets (own pod CIDRs, temp root dirs), and kube-proxy with its
 * own address label, a unique service range and DNS on a free port (no upstream resolvers,
 * so no traffic leaves the machine). Helpers run commands inside pod containers with the
 * docker CLI. `stop()` stops everything and removes the nodes' containers and dirs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESOURCES, type Endpoints, type Node, type Pod } from '@mk8s/shared';
import { spawnComponent, startControlPlane, waitFor, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';

export const BUSYBOX = 'mk8s/busybox:1';
const LOG_LEVEL = process.env.MK8S_TEST_LOG_LEVEL ?? 'info';

export function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

export interface TestCluster {
  cp: TestControlPlane;
  nodes: string[];
  podCidrs: string[];
  serviceRange: string;
  dnsIp: string;
  addressLabel: string;
  proxy: ManagedProcess;
  proxyArgs: string[];
  kubelets: ManagedProcess[];
  stopProxy(): Promise<void>;
  startProxy(): Promise<ManagedProcess>;
  stop(): Promise<void>;
}

export async function startCluster(o: { subnet: number; name: string; nodes?: number }): Promise<TestCluster> {
  const r = Math.floor(Math.random() * 200) + 20;
  const serviceRange = `10.${100 + (o.subnet % 10)}.${r}.0/24`;
  const dnsIp = `10.${100 + (o.subnet % 10)}.${r}.10`;
  const cp = await startControlPlane({ apiserverArgs: ['--service-cluster-ip-range', serviceRange] });
  const env = { LOG_LEVEL };
  const kc = (u: Parameters<TestControlPlane['kubeconfigFor']>[0]) => cp.kubeconfigFor(u);
  const procs: ManagedProcess[] = [];
  procs.push(spawnComponent('scheduler', ['--kubeconfig', kc('scheduler'), '--ops-port', '0'], { env }));
  procs.push(spawnComponent('controller-manager', ['--kubeconfig', kc('controller-manager'), '--ops-port', '0'], { env }));
  const nodes: string[] = [];
  const podCidrs: string[] = [];
  const kubelets: ManagedProcess[] = [];
  const dirs: string[] = [];
  for (let i = 0; i < (o.nodes ?? 2); i++) {
    const node = `${o.name}-${i}-${r}`;
    const cidr = `10.244.${o.subnet + i}.0/24`;
    const dir = mkdtempSync(join(tmpdir(), `mk8s-kp-${node}-`));
    nodes.push(node);
    podCidrs.push(cidr);
    dirs.push(dir);
    // a long crash back-off keeps a killed container down while the test looks
    kubelets.push(
      spawnComponent('kubelet', [
        '--kubeconfig', kc('kubelet'), '--node-name', node, '--pod-cidr', cidr, '--root-dir', dir,
        '--port', '0', '--ops-port', '0', '--cluster-dns', dnsIp, '--crash-backoff-base', '60',
        '--sync-frequency', '2', '--node-status-update-frequency', '2',
      ], { env }),
    );
  }
  const addressLabel = `kp${r}${o.subnet % 100}`;
  const proxyArgs = [
    '--kubeconfig', kc('kube-proxy'), '--node-name', nodes[0]!, '--ops-port', '0', '--dns-port', '0',
    '--cluster-dns-ip', dnsIp, '--dns-upstream', 'none', '--service-cluster-ip-range', serviceRange, '--address-label', addressLabel, '--sync-period', '5s',
  ];
  const c: TestCluster = {
    cp,
    nodes,
    podCidrs,
    serviceRange,
    dnsIp,
    addressLabel,
    proxy: spawnComponent('kube-proxy', proxyArgs, { env }),
    proxyArgs,
    kubelets,
    async stopProxy() {
      await c.proxy.stop();
    },
    async startProxy() {
      c.proxy = spawnComponent('kube-proxy', proxyArgs, { env });
      return c.proxy;
    },
    async stop() {
      await c.proxy.stop();
      await Promise.all(kubelets.map((k) => k.stop()));
      await Promise.all(procs.map((p) => p.stop()));
      for (const node of nodes) await removeNodeContainers(node);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
      await cp.stop();
    },
  };
  await waitFor(
    async () => {
      const list = await cp.client.resource<Node>(RESOURCES.nodes).list();
      return nodes.every((n) => list.items.some((x) => x.metadata.name === n && x.status?.conditions?.some((cd) => cd.type === 'Ready' && cd.status === 'True')));
    },
    { timeoutMs: 90_000, message: () => `nodes not ready: ${kubelets.map((k) => k.logs().slice(-2000)).join('\n---\n')}` },
  );
  return c;
}

export async function removeNodeContainers(node: string): Promise<void> {
  const { out } = await run('docker', ['ps', '-aq', '--filter', `label=mk8s.node=${node}`]);
  const ids = out.split('\n').filter(Boolean);
  if (ids.length) await run('docker', ['rm', '-f', ...ids]);
}

/** The running app container of a pod (by Docker labels). */
export async function containerOf(pod: string, container?: string, namespace = 'default'): Promise<string> {
  const filters = ['--filter', `label=io.kubernetes.pod.name=${pod}`, '--filter', `label=io.kubernetes.pod.namespace=${namespace}`, '--filter', 'label=io.kubernetes.docker.type=container'];
  if (container) filters.push('--filter', `label=io.kubernetes.container.name=${container}`);
  const { out } = await run('docker', ['ps', '-q', ...filters]);
  const id = out.split('\n').find(Boolean);
  if (!id) throw new Error(`no running container for pod ${pod}`);
  return id;
}

/** Runs `sh -c script` in the pod's container; bounded by `timeoutMs`. */
export async function podExec(pod: string, script: string, timeoutMs = 30_000): Promise<{ code: number; out: string }> {
  return run('docker', ['exec', await containerOf(pod), 'sh', '-c', script], timeoutMs);
}

export async function readyEndpointIps(c: TestCluster, name: string, namespace = 'default'): Promise<string[]> {
  try {
    const e = await c.cp.client.resource<Endpoints>(RESOURCES.endpoints).get(namespace, name);
    return (e.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
  } catch {
    return [];
  }
}

export async function podsWithLabel(c: TestCluster, selector: string): Promise<Pod[]> {
  return (await c.cp.client.resource<Pod>(RESOURCES.pods).list('default', { labelSelector: selector })).items;
}

export async function loAddresses(label: string): Promise<string[]> {
  const { out } = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo', 'label', `lo:${label}`]);
  return [...out.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!).sort();
}

export async function unreachableRoute(cidr: string): Promise<boolean> {
  const { out } = await run('ip', ['-o', 'route', 'show', 'type', 'unreachable', 'exact', cidr]);
  return out.trim().length > 0;
}
