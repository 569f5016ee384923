#!/usr/bin/env node
/**
 * Scheduler throughput benchmark.
 *
 * Against a fresh control plane (real etcd + apiserver): registers N nodes as API objects
 * (Ready, 32 cpu / 128Gi / 110 pods), then measures
 *   1. the API ceiling: M raw pod creates, then M raw binding POSTs made by the bench itself
 *      with the same client concurrency (repeated at the end, as a shared machine drifts);
 *   2. backlog: M pods created while no scheduler runs, then `scheduler/dist/main.js` started;
 *      the drain rate from its first to its last binding (comparable to the raw bind rate);
 *   3. streaming: with the now warm scheduler running, M more pods created at that concurrency;
 *      pods/s from the first create to the last binding seen through a watch (comparable to
 *      raw creates + raw binds of the same pods), plus per-pod create->bound latency and the
 *      CPU each process used.
 * Prints a table and returns the figures. Run: `node bench/dist/scheduler-bench.js
 * [--nodes 1000] [--pods 5000] [--concurrency 50] [--json] [-- <scheduler flags>]` after `npx tsc -b`.
 */
import type { Node, Pod, ResourceApi, RestClient, WatchEvent } from '@mk8s/shared';
import { RESOURCES } from '@mk8s/shared';
import { spawnComponent, startControlPlane, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';
import { readFileSync } from 'node:fs';
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
  /** the same raw measurements repeated after the scheduler phases */
  baselineCreatesAfter: Rate;
  baselineBindsAfter: Rate;
  /** pending pods when the scheduler starts: from process start, and from its first bind, to the last bind */
  backlogFromStart: Rate;
  backlogDrain: Rate;
  schedulerCreates: Rate;
  schedulerEndToEnd: Rate;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** CPU seconds (user+system) each process used during the scheduler run (Linux only) */
  cpuSeconds: Record<string, number>;
}

/** user+system CPU seconds of a process so far, from /proc (0 where unavailable). */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const BASELINE_NS = 'bench-baseline';
const SCHED_NS = 'bench-sched';
const BACKLOG_NS = 'bench-backlog';

async function currentRv(podApi: ResourceApi<Pod>, ns: string): Promise<string | undefined> {
  return (await podApi.list(ns, { limit: 1 })).metadata.resourceVersion;
}

/** Watches `ns` from `rv` and records when each pod is first seen with a nodeName. */
function watchBindings(podApi: ResourceApi<Pod>, ns: string, expected: number, rv: string | undefined, log: (l: string) => void) {
  const boundAt = new Map<string, number>();
  let resolve: () => void = () => {};
  const done = new Promise<void>((r) => (resolve = r));
  const handle = podApi.watch(ns, { resourceVersion: rv }, (ev: WatchEvent<Pod>) => {
    const name = ev.object.metadata?.name ?? '';
    if (ev.type === 'ERROR' || !ev.object.spec?.nodeName || boundAt.has(name)) return;
    boundAt.set(name, performance.now());
    if (boundAt.size === expected) resolve();
  });
  handle.done.catch((err: Error) => log(`watch on ${ns} ended: ${err.message}`));
  return { boundAt, done, stop: () => handle.stop() };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

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
    await ensureNamespace(client, BACKLOG_NS);

    log(`registering ${nodes} nodes`);
    const nodeNames = range(nodes).map((i) => `bench-node-${String(i).padStart(4, '0')}`);
    const regMs = await timed(() =>
      pool(nodeNames, concurrency, async (name) => {
        await nodeApi.create(benchNode(name));
        await nodeApi.patch(undefined, name, { status: nodeStatus() }, 'merge', { subresource: 'status' });
      }),
    );

    log(`baseline: ${pods} raw creates and ${pods} raw binds at concurrency ${concurrency}`);
    const rawRun = async (prefix: string): Promise<{ createMs: number; bindMs: number }> => {
      const names = range(pods).map((i) => `${prefix}-${i}`);
      const createMs = await timed(() => pool(names, concurrency, (name) => podApi.create(benchPod(BASELINE_NS, name, 'bench-nobody'))));
      const bindMs = await timed(() =>
        pool(names, concurrency, (name, i) =>
          podApi.createSubresource(BASELINE_NS, name, 'binding', {
            apiVersion: 'v1',
            kind: 'Binding',
            metadata: { name, namespace: BASELINE_NS },
            target: { apiVersion: 'v1', kind: 'Node', name: nodeNames[i % nodes]! },
          }),
        ),
      );
      return { createMs, bindMs };
    };
    const before = await rawRun('base');

    const pids = (): Record<string, number> => ({ apiserver: cp!.apiserver.pid, etcd: cp!.etcd.process.pid, scheduler: scheduler?.pid ?? -1, bench: process.pid });
    const cpuNow = (): Record<string, number> => Object.fromEntries(Object.entries(pids()).map(([k, pid]) => [k, cpuSecondsOf(pid)]));

    // Backlog: pods already pending when the scheduler starts; drained at the scheduler's own pace.
    log(`backlog: creating ${pods} pending pods, then starting the scheduler`);
    const backlogNames = range(pods).map((i) => `backlog-${i}`);
    await pool(backlogNames, concurrency, (name) => podApi.create(benchPod(BACKLOG_NS, name)));
    const backlog = watchBindings(podApi, BACKLOG_NS, pods, await currentRv(podApi, BACKLOG_NS), log);
    const schedStart = performance.now();
    scheduler = spawnComponent('scheduler', ['--kubeconfig', cp.kubeconfigFor('scheduler'), '--ops-port', '0', ...(opts.schedulerArgs ?? [])], {
      env: { LOG_LEVEL: process.env.MK8S_BENCH_LOG_LEVEL ?? 'warn' },
    });
    const sched = scheduler;
    await withTimeout(backlog.done, 600_000, () => `only ${backlog.boundAt.size}/${pods} backlog pods bound; scheduler logs: ${sched.logs().slice(-3000)}`);
    backlog.stop();
    const backlogTimes = [...backlog.boundAt.values()];
    const backlogFirst = Math.min(...backlogTimes);
    const backlogLast = Math.max(...backlogTimes);

    // Streaming: pods created at the bench's concurrency while the (warm) scheduler runs.
    log(`streaming: creating ${pods} pods at concurrency ${concurrency} with the scheduler running`);
    const schedNames = range(pods).map((i) => `sched-${i}`);
    const createdAt = new Map<string, number>();
    const stream = watchBindings(podApi, SCHED_NS, pods, await currentRv(podApi, SCHED_NS), log);
    const cpuBefore = cpuNow();
    const t0 = performance.now();
    await pool(schedNames, concurrency, async (name) => {
      createdAt.set(name, performance.now());
      await podApi.create(benchPod(SCHED_NS, name));
    });
    const createsDone = performance.now();
    await withTimeout(stream.done, 600_000, () => `only ${stream.boundAt.size}/${pods} pods bound; scheduler logs: ${sched.logs().slice(-3000)}`);
    const cpuAfter = cpuNow();
    stream.stop();
    log(`baseline again (the machine's speed drifts): ${pods} raw creates and binds`);
    const after = await rawRun('after');
    const last = Math.max(...stream.boundAt.values());
    const lat = schedNames.map((n) => stream.boundAt.get(n)! - createdAt.get(n)!).sort((a, b) => a - b);
    return {
      nodes,
      pods,
      concurrency,
      nodeRegistration: rate(nodes, regMs),
      baselineCreates: rate(pods, before.createMs),
      baselineBinds: rate(pods, before.bindMs),
      baselineCreatesAfter: rate(pods, after.createMs),
      baselineBindsAfter: rate(pods, after.bindMs),
      backlogFromStart: rate(pods, backlogLast - schedStart),
      backlogDrain: rate(pods, backlogLast - backlogFirst),
      schedulerCreates: rate(pods, createsDone - t0),
      schedulerEndToEnd: rate(pods, last - t0),
      cpuSeconds: Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v - cpuBefore[k]!])),
      latencyMs: { p50: percentile(lat, 50), p90: percentile(lat, 90), p99: percentile(lat, 99), max: lat[lat.length - 1] ?? 0 },
    };
  } finally {
    await scheduler?.stop();
    await cp?.stop();
  }
}

export function formatSchedulerBench(r: SchedulerBenchResult): string {
  const row = (what: string, x: Rate): string =>
    `| ${what.padEnd(56)} | ${String(x.count).padStart(6)} | ${x.seconds.toFixed(2).padStart(8)} | ${x.perSecond.toFixed(0).padStart(7)} |`;
  const sep = `|${'-'.repeat(58)}|${'-'.repeat(8)}|${'-'.repeat(10)}|${'-'.repeat(9)}|`;
  const serial = (c: Rate, b: Rate): Rate => rate(r.pods, (c.seconds + b.seconds) * 1000);
  const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(0)}%`;
  const bindLo = Math.min(r.baselineBinds.perSecond, r.baselineBindsAfter.perSecond);
  const bindHi = Math.max(r.baselineBinds.perSecond, r.baselineBindsAfter.perSecond);
  const cbBefore = serial(r.baselineCreates, r.baselineBinds).perSecond;
  const cbAfter = serial(r.baselineCreatesAfter, r.baselineBindsAfter).perSecond;
  const cbLo = Math.min(cbBefore, cbAfter);
  const cbHi = Math.max(cbBefore, cbAfter);
  return [
    `mk8s scheduler benchmark: ${r.nodes} nodes, ${r.pods} pods, client concurrency ${r.concurrency}`,
    '',
    `| ${'measurement'.padEnd(56)} | ${'count'.padStart(6)} | ${'seconds'.padStart(8)} | ${'per s'.padStart(7)} |`,
    sep,
    row('node registration (create + status)', r.nodeRegistration),
    row('baseline: raw pod creates', r.baselineCreates),
    row('baseline: raw binding POSTs (API ceiling)', r.baselineBinds),
    row('baseline: create + bind of the same pods, serially', serial(r.baselineCreates, r.baselineBinds)),
    row('backlog: scheduler start -> last bind', r.backlogFromStart),
    row('backlog: first bind -> last bind (scheduler drain rate)', r.backlogDrain),
    row('streaming: pod creates', r.schedulerCreates),
    row('streaming: first create -> last bind (pods bound)', r.schedulerEndToEnd),
    row('baseline again: raw pod creates', r.baselineCreatesAfter),
    row('baseline again: raw binding POSTs (API ceiling)', r.baselineBindsAfter),
    row('baseline again: create + bind, serially', serial(r.baselineCreatesAfter, r.baselineBindsAfter)),
    '',
    `scheduler: ${r.schedulerEndToEnd.perSecond.toFixed(0)} pods/s created and bound (target >= 300 pods/s); ` +
      `raw create+bind of the same pods: ${cbLo.toFixed(0)}-${cbHi.toFixed(0)} pods/s (${pct(r.schedulerEndToEnd.perSecond, cbHi)}-${pct(r.schedulerEndToEnd.perSecond, cbLo)})`,
    `backlog drain: ${r.backlogDrain.perSecond.toFixed(0)} binds/s; raw binding POSTs: ${bindLo.toFixed(0)}-${bindHi.toFixed(0)}/s (${pct(r.backlogDrain.perSecond, bindHi)}-${pct(r.backlogDrain.perSecond, bindLo)})`,
    `CPU seconds used during the streaming run: ${Object.entries(r.cpuSeconds)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ')}`,
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
  const all = process.argv.slice(2);
  const dashes = all.indexOf('--');
  const args = dashes < 0 ? all : all.slice(0, dashes);
  const schedulerArgs = dashes < 0 ? [] : all.slice(dashes + 1);
  runSchedulerBench({ nodes: argValue(args, '--nodes'), pods: argValue(args, '--pods'), concurrency: argValue(args, '--concurrency'), schedulerArgs })
    .then((r) => {
      process.stdout.write(`${args.includes('--json') ? JSON.stringify(r, null, 2) : formatSchedulerBench(r)}\n`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`scheduler bench failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
}
