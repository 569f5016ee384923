#!/usr/bin/env node
/**
 * Scheduler throughput benchmark.
 *
 * Against a fresh control plane (real etcd + apiserver): registers N nodes as API objects
 * (Ready, 32 cpu / 128Gi / 110 pods), then measures
 *   1. the API ceiling: M raw pod creates, then M raw binding POSTs made by the bench itself
 *      with the same client concurrency;
 *   2. the scheduler: with `scheduler/dist/main.js` running (leader elected, informers synced),
 *      M pods created at that concurrency; pods/s from the first create to the last binding
 *      seen through a watch, plus per-pod create->bound latency.
 * Prints a table and returns the figures. Run: `node bench/dist/scheduler-bench.js
 * [--nodes 1000] [--pods 5000] [--concurrency 50] [--json]` after `npx tsc -b`.
 */
import type { Node, Pod, RestClient, WatchEvent } from '@mk8s/shared';
import { RESOURCES } from '@mk8s/shared';
import { spawnComponent, startControlPlane, waitFor, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';
import { pathToFileURL } from 'node:url';

export interface SchedulerBenchOptions {
  nodes?: number;
  pods?: number;
  concurrency?: number;
  /** extra flags for the scheduler process */
  schedulerArgs?: string[];
  /** progress lines go here (default: stderr) */
  log?: (line: string) => void;
}

export interface Rate {
  count: number;
  seconds: number;
  perSecond: number;
}

export interface SchedulerBenchResult {
  nodes: number;
  pods: number;
  concurrency: number;
  nodeRegistration: Rate;
  baselineCreates: Rate;
  baselineBinds: Rate;
  schedulerCreates: Rate;
  schedulerEndToEnd: Rate;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

const BASELINE_NS = 'bench-baseline';
const SCHED_NS = 'bench-sched';

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const rate = (count: number, ms: number): Rate => ({ count, seconds: ms / 1000, perSecond: ms > 0 ? (count * 1000) / ms : 0 });
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function benchNode(name: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'mk8s.io/bench': 'true' } }, spec: {} };
}

function nodeStatus(): Node['status'] {
  const resources = { cpu: '32', memory: '128Gi', pods: '110' };
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    capacity: resources,
    allocatable: resources,
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'bench node', lastHeartbeatTime: now, lastTransitionTime: now }],
    addresses: [{ type: 'Hostname', address: 'bench' }],
  };
}

function benchPod(namespace: string, name: string, schedulerName?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'bench' } },
    spec: {
      ...(schedulerName ? { schedulerName } : {}),
      containers: [{ name: 'c', image: 'mk8s/busybox:latest', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    },
  };
}

async function ensureNamespace(client: RestClient, name: string): Promise<void> {
  await client.resource(RESOURCES.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runSchedulerBench(opts: SchedulerBenchOptions = {}): Promise<SchedulerBenchResult> {
  const nodes = opts.nodes ?? 1000;
  const pods = opts.pods ?? 5000;
  const concurrency = opts.concurrency ?? 50;
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  let cp: TestControlPlane | undefined;
  let scheduler: ManagedProcess | undefined;
  try {
    log(`starting control plane`);
    cp = await startControlPlane();
    const client = cp.client;
    const podApi = client.resource<Pod>(RESOURCES.pods);
    const nodeApi = client.resource<Node>(RESOURCES.nodes);
    await ensureNamespace(client, BASELINE_NS);
    await ensureNamespace(client, SCHED_NS);

    log(`registering ${nodes} nodes`);
    const nodeNames = range(nodes).map((i) => `bench-node-${String(i).padStart(4, '0')}`);
    const regMs = await timed(() =>
      pool(nodeNames, concurrency, async (name) => {
        await nodeApi.create(benchNode(name));
        await nodeApi.patch(undefined, name, { status: nodeStatus() }, 'merge', { subresource: 'status' });
      }),
    );

    log(`baseline: ${pods} raw creates and ${pods} raw binds at concurrency ${concurrency}`);
    const baseNames = range(pods).map((i) => `base-${i}`);
    const createMs = await timed(() => pool(baseNames, concurrency, (name) => podApi.create(benchPod(BASELINE_NS, name, 'bench-nobody'))));
    const bindMs = await timed(() =>
      pool(baseNames, concurrency, (name, i) =>
        podApi.createSubresource(BASELINE_NS, name, 'binding', {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace: BASELINE_NS },
          target: { apiVersion: 'v1', kind: 'Node', name: nodeNames[i % nodes]! },
        }),
      ),
    );

    log('starting the scheduler');
    scheduler = spawnComponent('scheduler', ['--kubeconfig', cp.kubeconfigFor('scheduler'), '--ops-port', '0', ...(opts.schedulerArgs ?? [])], {
      env: { LOG_LEVEL: process.env.MK8S_BENCH_LOG_LEVEL ?? 'warn' },
    });
    const sched = scheduler;
    await podApi.create(benchPod(SCHED_NS, 'warmup'));
    await waitFor(async () => !!(await podApi.get(SCHED_NS, 'warmup')).spec.nodeName, {
      timeoutMs: 120_000,
      intervalMs: 100,
      message: () => `the scheduler did not bind the warm-up pod: ${sched.logs().slice(-3000)}`,
    });

    const createdAt = new Map<string, number>();
    const boundAt = new Map<string, number>();
    let allBound: () => void = () => {};
    const done = new Promise<void>((r) => (allBound = r));
    const rv = (await podApi.list(SCHED_NS, { limit: 1 })).metadata.resourceVersion;
    const watch = podApi.watch(SCHED_NS, { resourceVersion: rv }, (ev: WatchEvent<Pod>) => {
      const name = ev.object.metadata?.name ?? '';
      if (ev.type === 'ERROR' || !name.startsWith('sched-') || !ev.object.spec?.nodeName || boundAt.has(name)) return;
      boundAt.set(name, performance.now());
      if (boundAt.size === pods) allBound();
    });
    watch.done.catch((err: Error) => log(`watch ended: ${err.message}`));

    log(`scheduler run: creating ${pods} pods at concurrency ${concurrency}`);
    const schedNames = range(pods).map((i) => `sched-${i}`);
    const t0 = performance.now();
    await pool(schedNames, concurrency, async (name) => {
      createdAt.set(name, performance.now());
      await podApi.create(benchPod(SCHED_NS, name));
    });
    const createsDone = performance.now();
    await Promise.race([
      done,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${boundAt.size}/${pods} pods bound after 10 minutes`)), 600_000).unref()),
    ]);
    watch.stop();
    const last = Math.max(...boundAt.values());
    const lat = schedNames.map((n) => boundAt.get(n)! - createdAt.get(n)!).sort((a, b) => a - b);
    return {
      nodes,
      pods,
      concurrency,
      nodeRegistration: rate(nodes, regMs),
      baselineCreates: rate(pods, createMs),
      baselineBinds: rate(pods, bindMs),
      schedulerCreates: rate(pods, createsDone - t0),
      schedulerEndToEnd: rate(pods, last - t0),
      latencyMs: { p50: percentile(lat, 50), p90: percentile(lat, 90), p99: percentile(lat, 99), max: lat[lat.length - 1] ?? 0 },
    };
  } finally {
    await scheduler?.stop();
    await cp?.stop();
  }
}

export function formatSchedulerBench(r: SchedulerBenchResult): string {
  const row = (what: string, x: Rate): string =>
    `| ${what.padEnd(52)} | ${String(x.count).padStart(6)} | ${x.seconds.toFixed(2).padStart(8)} | ${x.perSecond.toFixed(0).padStart(7)} |`;
  const sep = `|${'-'.repeat(54)}|${'-'.repeat(8)}|${'-'.repeat(10)}|${'-'.repeat(9)}|`;
  return [
    `mk8s scheduler benchmark: ${r.nodes} nodes, ${r.pods} pods, client concurrency ${r.concurrency}`,
    '',
    `| ${'measurement'.padEnd(52)} | ${'count'.padStart(6)} | ${'seconds'.padStart(8)} | ${'per s'.padStart(7)} |`,
    sep,
    row('node registration (create + status)', r.nodeRegistration),
    row('baseline: raw pod creates', r.baselineCreates),
    row('baseline: raw binding POSTs (API ceiling)', r.baselineBinds),
    row('scheduler run: pod creates', r.schedulerCreates),
    row('scheduler run: first create -> last bind (pods bound)', r.schedulerEndToEnd),
    '',
    `scheduler throughput ${r.schedulerEndToEnd.perSecond.toFixed(0)} pods/s = ${((100 * r.schedulerEndToEnd.perSecond) / r.baselineBinds.perSecond).toFixed(0)}% of the raw bind ceiling (target >= 300 pods/s)`,
    `create -> bound latency: p50 ${r.latencyMs.p50.toFixed(0)} ms, p90 ${r.latencyMs.p90.toFixed(0)} ms, p99 ${r.latencyMs.p99.toFixed(0)} ms, max ${r.latencyMs.max.toFixed(0)} ms`,
  ].join('\n');
}

function argValue(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer`);
  return n;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  runSchedulerBench({ nodes: argValue(args, '--nodes'), pods: argValue(args, '--pods'), concurrency: argValue(args, '--concurrency') })
    .then((r) => {
      process.stdout.write(`${args.includes('--json') ? JSON.stringify(r, null, 2) : formatSchedulerBench(r)}\n`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`scheduler bench failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
}
