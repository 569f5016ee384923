#!/usr/bin/env node
/**
 * Pod startup latency: time from a pod's create request until Running is seen through a
 * watch, p50/p99 over N pods (scheduler + one kubelet on real Docker), beside raw dockerode
 * creating and starting the same pause + app container pairs (the app joins the pause
 * container's network and IPC namespaces) in the same run, with the same concurrency.
 * The baseline's pause containers sit where the kubelet puts them: on the pod network with a
 * static address and the cluster DNS settings (a user-defined Docker network costs more at
 * start than the default bridge: embedded DNS and address setup). Raw pairs on the default
 * bridge are printed too, for reference.
 * Run after `npx tsc -b`: `node bench/dist/pod-startup-bench.js [--pods 50] [--concurrency 5]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Docker from 'dockerode';
import { RESOURCES, type Pod } from '@mk8s/shared';
import { REPO_ROOT, spawnComponent, startControlPlane, waitFor, type ManagedProcess } from '@mk8s/shared/testing';
import { fmt, nowMs, percentile, pool, printTable } from './stats.js';

const PAUSE = 'mk8s/pause:3.9';
const APP = 'mk8s/busybox:1';
const CLUSTER_DNS = '10.96.0.10';
const POD_NETWORK = 'mk8s';

/** Where a raw pause container goes: the default bridge, or the pod network at an address. */
type RawNetwork = { kind: 'bridge' } | { kind: 'pod'; network: string; address: (i: number) => string };

async function rawPair(docker: Docker, i: number, run: string, net: RawNetwork): Promise<number> {
  const t0 = nowMs();
  const onPodNetwork = net.kind === 'pod';
  const pause = await docker.createContainer({
    Image: PAUSE,
    name: `bench-raw-${run}-${net.kind}-${i}-pause`,
    Hostname: `raw-${i}`,
    Labels: { 'mk8s.bench': run },
    HostConfig: {
      IpcMode: 'shareable',
      NetworkMode: onPodNetwork ? net.network : 'bridge',
      ...(onPodNetwork ? { Dns: [CLUSTER_DNS], DnsSearch: ['bench.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], DnsOptions: ['ndots:5'] } : {}),
    },
    ...(onPodNetwork ? { NetworkingConfig: { EndpointsConfig: { [net.network]: { IPAMConfig: { IPv4Address: net.address(i) } } } } } : {}),
  });
  await pause.start();
  const app = await docker.createContainer({
    Image: APP,
    name: `bench-raw-${run}-${net.kind}-${i}-app`,
    Cmd: ['sleep', '3600'],
    Labels: { 'mk8s.bench': run },
    HostConfig: { NetworkMode: `container:${pause.id}`, IpcMode: `container:${pause.id}` },
  });
  await app.start();
  return nowMs() - t0;
}

async function removeContainers(docker: Docker, label: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  await pool(list, 5, (c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined));
}

export async function runPodStartupBench(o: { pods?: number; concurrency?: number } = {}): Promise<void> {
  const n = o.pods ?? 50;
  const conc = o.concurrency ?? 5;
  const run = `${process.pid}`;
  const docker = new Docker();
  execFileSync('bash', [join(REPO_ROOT, 'deploy/images/build-test-images.sh')], { stdio: 'ignore' });
  const cp = await startControlPlane();
  const root = mkdtempSync(join(tmpdir(), 'mk8s-bench-kubelet-'));
  const node = `bench-startup-${run}`;
  const procs: ManagedProcess[] = [];
  try {
    procs.push(spawnComponent('scheduler', ['--kubeconfig', cp.kubeconfigFor('scheduler'), '--ops-port', '0']));
    procs.push(
      spawnComponent('kubelet', [
        '--kubeconfig', cp.kubeconfigFor('kubelet'), '--node-name', node, '--pod-cidr', '10.244.240.0/24',
        '--root-dir', root, '--port', '0', '--ops-port', '0', '--max-pods', String(n + 10),
        '--docker-network', POD_NETWORK, '--cluster-dns', CLUSTER_DNS,
      ]),
    );
    const pods = cp.client.resource<Pod>(RESOURCES.pods);
    await waitFor(async () => (await cp.client.request<{ items: unknown[] }>('GET', '/api/v1/nodes')).items.length > 0, { timeoutMs: 60_000 });
    await cp.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'bench' } } });

    // Warm-up: one pod through the whole path, so image and network setup are not measured.
    await pods.create({ metadata: { name: 'warmup', namespace: 'bench' }, spec: { containers: [{ name: 'app', image: APP, command: ['sleep', '3600'], imagePullPolicy: 'Never' }] } });
    await waitFor(async () => (await pods.get('bench', 'warmup')).status?.phase === 'Running', { timeoutMs: 60_000 });

    const created = new Map<string, number>();
    const running = new Map<string, number>();
    const list = await pods.list('bench');
    const watch = pods.watch('bench', { resourceVersion: list.metadata.resourceVersion }, (ev) => {
      const name = ev.object.metadata?.name ?? '';
      if (ev.object.status?.phase === 'Running' && created.has(name) && !running.has(name)) running.set(name, nowMs());
    });
    await pool(Array.from({ length: n }, (_, i) => `p-${i}`), conc, async (name) => {
      created.set(name, nowMs());
      await pods.create({ metadata: { name, namespace: 'bench' }, spec: { containers: [{ name: 'app', image: APP, command: ['sleep', '3600'], imagePullPolicy: 'Never' }] } });
      await waitFor(() => running.has(name), { timeoutMs: 120_000, intervalMs: 5 });
    });
    watch.stop();
    const mk = [...running].map(([name, t]) => t - created.get(name)!);

    // Each phase starts on an equally empty daemon: a network with 50 more endpoints is slower.
    await Promise.all(procs.map((p) => p.stop()));
    await removeContainers(docker, `mk8s.node=${node}`);

    // the baseline's addresses: a /24 of the pod network that no node's podCIDR uses here
    const podNet: RawNetwork = { kind: 'pod', network: POD_NETWORK, address: (i) => `10.244.241.${i + 10}` };
    await rawPair(docker, -1, run, podNet);
    const raw: number[] = [];
    await pool(Array.from({ length: n }, (_, i) => i), conc, async (i) => raw.push(await rawPair(docker, i, run, podNet)));
    await removeContainers(docker, `mk8s.bench=${run}`);
    await rawPair(docker, -1, run, { kind: 'bridge' });
    const bridge: number[] = [];
    await pool(Array.from({ length: n }, (_, i) => i), conc, async (i) => bridge.push(await rawPair(docker, i, run, { kind: 'bridge' })));

    printTable(`pod startup, ${n} pods, ${conc} at a time (create -> Running seen by a watch)`, ['measure', 'mk8s', 'raw dockerode', 'ratio'], [
      ['p50 ms', fmt(percentile(mk, 50)), fmt(percentile(raw, 50)), fmt(percentile(mk, 50) / percentile(raw, 50))],
      ['p99 ms', fmt(percentile(mk, 99)), fmt(percentile(raw, 99)), fmt(percentile(mk, 99) / percentile(raw, 99))],
    ]);
    console.log(
      `\nraw pairs on the default bridge instead (no static address, no DNS settings): p50 ${fmt(percentile(bridge, 50))} ms, ` +
        `p99 ${fmt(percentile(bridge, 99))} ms (mk8s p50 ratio to it ${fmt(percentile(mk, 50) / percentile(bridge, 50))})`,
    );
    console.log('\nAim: p50 ratio at most 1.3.');
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await removeContainers(docker, `mk8s.bench=${run}`);
    await removeContainers(docker, `mk8s.node=${node}`);
    await cp.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  runPodStartupBench({ pods: arg('pods', 50), concurrency: arg('concurrency', 5) }).catch((err: Error) => {
    console.error(err);
    process.exit(1);
  });
}
