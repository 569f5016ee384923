#!/usr/bin/env node
/**
 * ReplicationController scale-up benchmark: time for an RC scaled 0 -> N (default 100) until all
 * N pods are seen Running through a watch, with the real path (apiserver, controller-manager,
 * scheduler, ONE kubelet on real Docker), beside raw dockerode creating and starting the same N
 * pause + app container pairs (the app joins the pause container's network namespace) in the
 * same run. The raw run uses the concurrency the mk8s run reached (the most pods created but not
 * yet Running at once, as seen by the watch) unless --concurrency is given. Prints both and the
 * ratio (aim: at most 1.5). Removes every container it made.
 * Run after `npx tsc -b`: `node bench/dist/rc-bench.js [--pods 100] [--concurrency N]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Docker from 'dockerode';
import { RESOURCES, type Pod, type ReplicationController } from '@mk8s/shared';
import { REPO_ROOT, spawnComponent, startControlPlane, waitFor, type ManagedProcess } from '@mk8s/shared/testing';
import { fmt, nowMs, percentile, pool, printTable } from './stats.js';

const PAUSE = 'mk8s/pause:3.9';
const APP = 'mk8s/busybox:1';
const NODE = 'bench-node';
const NS = 'rc-bench';

async function rawPair(docker: Docker, i: number, run: string): Promise<number> {
  const t0 = nowMs();
  const pause = await docker.createContainer({ Image: PAUSE, name: `rc-bench-${run}-${i}-pause`, Labels: { 'mk8s.bench': run }, HostConfig: { NetworkMode: 'bridge' } });
  await pause.start();
  const app = await docker.createContainer({
    Image: APP,
    name: `rc-bench-${run}-${i}-app`,
    Cmd: ['sleep', '3600'],
    Labels: { 'mk8s.bench': run },
    HostConfig: { NetworkMode: `container:${pause.id}` },
  });
  await app.start();
  return nowMs() - t0;
}

function rc(replicas: number): ReplicationController {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'scale', namespace: NS },
    spec: {
      replicas,
      selector: { app: 'scale' },
      template: { metadata: { labels: { app: 'scale' } }, spec: { containers: [{ name: 'app', image: APP, command: ['sleep', '3600'], imagePullPolicy: 'Never' }], terminationGracePeriodSeconds: 1 } },
    },
  };
}

async function removeContainers(docker: Docker, labels: string[]): Promise<void> {
  for (const label of labels) {
    const cs = await docker.listContainers({ all: true, filters: { label: [label] } });
    await pool(cs, 8, (c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined));
  }
}

export interface RcBenchResult {
  pods: number;
  concurrency: number;
  mk8sMs: number;
  rawMs: number;
  ratio: number;
}

export async function runRcBench(o: { pods?: number; concurrency?: number } = {}): Promise<RcBenchResult> {
  const n = o.pods ?? 100;
  const run = `${process.pid}`;
  const docker = new Docker();
  execFileSync('bash', [join(REPO_ROOT, 'deploy/images/build-test-images.sh')], { stdio: 'ignore' });
  await removeContainers(docker, [`mk8s.node=${NODE}`]);
  const cp = await startControlPlane();
  const root = mkdtempSync(join(tmpdir(), 'mk8s-rc-bench-'));
  const procs: ManagedProcess[] = [];
  const log = (l: string) => process.stderr.write(`${l}\n`);
  try {
    procs.push(spawnComponent('scheduler', ['--kubeconfig', cp.kubeconfigFor('scheduler'), '--ops-port', '0']));
    procs.push(spawnComponent('controller-manager', ['--kubeconfig', cp.kubeconfigFor('controller-manager'), '--ops-port', '0']));
    procs.push(
      spawnComponent('kubelet', [
        '--kubeconfig', cp.kubeconfigFor('kubelet'), '--node-name', NODE, '--pod-cidr', '10.244.50.0/24',
        '--root-dir', root, '--port', '0', '--ops-port', '0', '--max-pods', String(Math.max(200, n + 10)),
      ]),
    );
    const pods = cp.client.resource<Pod>(RESOURCES.pods);
    const rcs = cp.client.resource<ReplicationController>(RESOURCES.replicationcontrollers);
    await cp.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: NS } } });
    log('waiting for the node and a warm-up pod');
    await waitFor(async () => (await cp.client.request<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>('GET', '/api/v1/nodes')).items.some((x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')), { timeoutMs: 60_000 });
    await pods.create({ metadata: { name: 'warmup', namespace: NS }, spec: { containers: [{ name: 'app', image: APP, command: ['sleep', '3600'], imagePullPolicy: 'Never' }] } });
    await waitFor(async () => (await pods.get(NS, 'warmup')).status?.phase === 'Running', { timeoutMs: 60_000 });
    await pods.delete(NS, 'warmup', { gracePeriodSeconds: 0 });

    await rcs.create(rc(0));
    const created = new Map<string, number>();
    const running = new Map<string, number>();
    let inFlight = 0;
    let peak = 0;
    let allRunning: () => void = () => {};
    const done = new Promise<void>((r) => (allRunning = r));
    const list = await pods.list(NS, { labelSelector: 'app=scale' });
    const watch = pods.watch(NS, { resourceVersion: list.metadata.resourceVersion, labelSelector: 'app=scale' }, (ev) => {
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') return;
      const name = ev.object.metadata?.name ?? '';
      if (!created.has(name)) {
        created.set(name, nowMs());
        peak = Math.max(peak, ++inFlight);
      }
      if (ev.object.status?.phase === 'Running' && !running.has(name)) {
        running.set(name, nowMs());
        inFlight--;
        if (running.size === n) allRunning();
      }
    });
    log(`scaling the RC 0 -> ${n}`);
    const t0 = nowMs();
    await rcs.patch(NS, 'scale', { spec: { replicas: n } }, 'merge');
    await Promise.race([done, new Promise((_, rej) => setTimeout(() => rej(new Error(`only ${running.size}/${n} Running after 600 s`)), 600_000))]);
    const mk8sMs = nowMs() - t0;
    watch.stop();
    const podLatency = [...running].map(([name, t]) => t - created.get(name)!);

    const concurrency = o.concurrency ?? Math.max(1, Math.min(n, peak));
    log(`raw dockerode: ${n} pause+app pairs at concurrency ${concurrency}`);
    await rawPair(docker, -1, run);
    const rawLatency: number[] = [];
    const r0 = nowMs();
    await pool(Array.from({ length: n }, (_, i) => i), concurrency, async (i) => rawLatency.push(await rawPair(docker, i, run)));
    const rawMs = nowMs() - r0;

    const ratio = mk8sMs / rawMs;
    printTable(`RC scale 0 -> ${n} until all Running (one kubelet), raw at concurrency ${concurrency}`, ['measure', 'mk8s', 'raw dockerode', 'ratio'], [
      ['total ms', fmt(mk8sMs), fmt(rawMs), fmt(ratio)],
      ['pods/s', fmt((n * 1000) / mk8sMs), fmt((n * 1000) / rawMs), fmt(rawMs / mk8sMs)],
      ['per-pod p50 ms', fmt(percentile(podLatency, 50)), fmt(percentile(rawLatency, 50)), fmt(percentile(podLatency, 50) / percentile(rawLatency, 50))],
      ['per-pod p99 ms', fmt(percentile(podLatency, 99)), fmt(percentile(rawLatency, 99)), fmt(percentile(podLatency, 99) / percentile(rawLatency, 99))],
    ]);
    console.log('\nAim: total ratio at most 1.5.');
    return { pods: n, concurrency, mk8sMs, rawMs, ratio };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await removeContainers(docker, [`mk8s.bench=${run}`, `mk8s.node=${NODE}`]);
    await cp.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string): number | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  runRcBench({ pods: arg('pods') ?? 100, concurrency: arg('concurrency') }).catch((err: Error) => {
    console.error(err);
    process.exit(1);
  });
}
