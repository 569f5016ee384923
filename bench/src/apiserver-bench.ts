#!/usr/bin/env node
/**
 * apiserver benchmark, each figure beside raw etcd doing the same work in the same run:
 *   - create latency p50/p99 and creates/s with 50 concurrent clients as fast as they can go
 *     (closed loop: latency there is mostly queueing, ~ clients / throughput; raw: etcd put)
 *   - get latency p50/p99 with 50 concurrent clients (raw: etcd get)
 *   - create and get latency p50/p99 with the 50 clients paced to a fixed total rate below
 *     saturation (how Kubernetes' own SLO tests load an apiserver), so the figure is the time
 *     one request takes rather than the queue in front of it
 * Both sides are warmed up first (JIT, connections) with the same number of operations, and
 * the closed-loop measures alternate between the sides in rounds (see measureRounds).
 *   - the stack's floor: creates against bench/src/floor-server.ts, a bare HTTPS server that
 *     does one etcd3 transaction per create and keeps a watch - the ceiling of any apiserver
 *     built on these libraries on this machine - in the same rounds as mk8s and raw etcd
 *   - list of 10,000 pods, median of several runs (raw: etcd range over the same keys)
 *   - watch delivery delay p50/p99 to 100 concurrent watchers (raw: 100 etcd watchers)
 * Run after `npx tsc -b`: `node bench/dist/apiserver-bench.js [--creates 5000] [--list 10000]`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Etcd3 } from 'etcd3';
import { RESOURCES, RestClient, type Pod, type WatchHandle } from '@mk8s/shared';
import { spawnProcess, startControlPlane, waitFor, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';
import { fmt, median, nowMs, percentile, pool, printTable, timed } from './stats.js';

export interface ApiserverBenchOptions {
  creates?: number;
  concurrency?: number;
  listSize?: number;
  watchers?: number;
  watchEvents?: number;
  /** operations per side before measuring */
  warmup?: number;
  /** total operations per second of the paced latency measure */
  pacedRate?: number;
  /** interleaved rounds of the closed-loop create and get comparison */
  rounds?: number;
  log?: (line: string) => void;
}

function pod(name: string, ns: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: 'bench', tier: 'load' } },
    spec: {
      containers: [
        {
          name: 'main',
          image: 'mk8s/busybox:1',
          command: ['sleep', '3600'],
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
          ports: [{ containerPort: 8080 }],
        },
      ],
    },
  };
}

interface Latencies {
  p50: number;
  p99: number;
  perSecond: number;
}

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux

/** CPU time (user + system) a process has used, in ms, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** CPU ms per operation of each process while `run` does `n` operations. */
async function cpuPerOp<T>(pids: Record<string, number>, n: number, run: () => Promise<T>): Promise<{ result: T; perOp: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
  const result = await run();
  const perOp = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, (cpuMs(pid) - before[k]!) / n]));
  return { result, perOp };
}

/**
 * `concurrency` clients together issue `ratePerSec` operations per second (each client one
 * every concurrency/rate seconds, staggered) for `n` operations; latency is per operation.
 */
async function measurePaced(n: number, concurrency: number, ratePerSec: number, op: (i: number) => Promise<unknown>): Promise<Latencies> {
  const lat: number[] = [];
  const interval = (concurrency / ratePerSec) * 1000;
  const t0 = nowMs();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, c) => {
      for (let k = 0; ; k++) {
        const due = t0 + (c / concurrency) * interval + k * interval;
        const wait = due - nowMs();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (next >= n) return;
        const i = next++;
        const s = nowMs();
        await op(i);
        lat.push(nowMs() - s);
      }
    }),
  );
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), perSecond: n / ((nowMs() - t0) / 1000) };
}

interface Samples {
  latencies: number[];
  perSecond: number;
}

async function sample(ids: readonly number[], concurrency: number, op: (i: number) => Promise<unknown>): Promise<Samples> {
  const latencies: number[] = [];
  const t0 = nowMs();
  await pool(ids, concurrency, async (i) => {
    const s = nowMs();
    await op(i);
    latencies.push(nowMs() - s);
  });
  return { latencies, perSecond: ids.length / ((nowMs() - t0) / 1000) };
}

async function measure(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<Latencies> {
  const { latencies, perSecond } = await sample(Array.from({ length: n }, (_, i) => i), concurrency, op);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond };
}

interface Rounds<S extends string> {
  sides: Record<S, Latencies>;
  /** median over rounds of a's throughput / b's throughput in the same round */
  ratio(a: S, b: S): number;
}

/**
 * The same `n` operations on each side, in `rounds` interleaved rounds (the order of the sides
 * rotates from round to round), so a change in the machine's speed during the run (this one is
 * a shared virtual machine) falls on every side alike. Throughput is the median of the rounds;
 * a ratio is the median of each round's ratio; latency percentiles are over all operations.
 */
async function measureRounds<S extends string>(n: number, rounds: number, concurrency: number, ops: Record<S, (i: number) => Promise<unknown>>): Promise<Rounds<S>> {
  const names = Object.keys(ops) as S[];
  const per = Math.ceil(n / rounds);
  const lat = new Map<S, number[]>(names.map((k) => [k, []]));
  const tput = new Map<S, number[]>(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    const ids = Array.from({ length: Math.min(per, n - r * per) }, (_, k) => r * per + k);
    const order = names.map((_, k) => names[(k + r) % names.length]!);
    for (const side of order) {
      const s = await sample(ids, concurrency, ops[side]);
      lat.get(side)!.push(...s.latencies);
      tput.get(side)!.push(s.perSecond);
    }
  }
  const sides = Object.fromEntries(
    names.map((k) => [k, { p50: percentile(lat.get(k)!, 50), p99: percentile(lat.get(k)!, 99), perSecond: median(tput.get(k)!) }]),
  ) as Record<S, Latencies>;
  return { sides, ratio: (a, b) => median(tput.get(a)!.map((t, r) => t / tput.get(b)![r]!)) };
}

/** Starts bench/dist/floor-server.js on a free port; resolves with the process and its URL. */
async function startFloorServer(cp: TestControlPlane): Promise<{ proc: ManagedProcess; url: string }> {
  const pki = (f: string) => join(cp.dir, 'pki', f);
  const script = fileURLToPath(new URL('./floor-server.js', import.meta.url));
  const proc = spawnProcess(process.execPath, [script, '--etcd-servers', cp.etcd.endpoint, '--tls-cert-file', pki('apiserver.crt'), '--tls-private-key-file', pki('apiserver.key'), '--token', cp.tokens.admin], { name: 'floor-server' });
  const port = await waitFor(
    () => {
      if (proc.child.exitCode !== null) throw new Error(`floor server exited: ${proc.logs()}`);
      return /listening (\d+)/.exec(proc.logs())?.[1];
    },
    { timeoutMs: 15_000, message: () => `floor server not ready: ${proc.logs()}` },
  );
  return { proc, url: `https://127.0.0.1:${port}` };
}

export async function runApiserverBench(o: ApiserverBenchOptions = {}): Promise<void> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const creates = o.creates ?? 5000;
  const conc = o.concurrency ?? 50;
  const listSize = o.listSize ?? 10_000;
  const watchers = o.watchers ?? 100;
  const watchEvents = o.watchEvents ?? 200;
  const warmup = o.warmup ?? 2000;
  const pacedRate = o.pacedRate ?? 250;
  const pacedOps = pacedRate * 10;
  const rounds = o.rounds ?? 5;
  const cp: TestControlPlane = await startControlPlane({ apiserverArgs: ['--etcd-compaction-interval', '0'] });
  const etcd = new Etcd3({ hosts: cp.etcd.endpoint });
  let floor: { proc: ManagedProcess; url: string } | undefined;
  try {
    floor = await startFloorServer(cp);
    const floorClient = new RestClient({ server: floor.url, ca: cp.caPem, token: cp.tokens.admin });
    const floorPods = floorClient.resource<Pod>(RESOURCES.pods);
    const client = new RestClient({ server: cp.url, ca: cp.caPem, token: cp.tokens.admin });
    const pods = client.resource<Pod>(RESOURCES.pods);
    for (const ns of ['bench', 'bench-watch', 'bench-warm', 'bench-paced', 'bench-cpu']) await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: ns } } });
    const body = JSON.stringify(pod('x', 'raw'));

    log(`warm-up: ${warmup} creates and gets on each side`);
    await measure(warmup, conc, (i) => etcd.put(`/bench-raw/warm/p-${i}`).value(body).exec());
    await measure(warmup, conc, (i) => etcd.get(`/bench-raw/warm/p-${i}`).exec());
    await measure(warmup, conc, (i) => pods.create(pod(`p-${i}`, 'bench-warm')));
    await measure(warmup, conc, (i) => pods.get('bench-warm', `p-${i}`));
    await measure(warmup, conc, (i) => floorPods.create(pod(`p-${i}`, 'bench-warm')));

    log(`creates: ${creates} with ${conc} concurrent clients`);
    const pids = { apiserver: cp.apiserver.pid, 'floor server': floor.proc.pid, etcd: cp.etcd.process.pid, 'load generator': process.pid };
    // CPU per operation is measured on separate runs of each side (the paired rounds mix them)
    const cpuOps = Math.min(creates, 2000);
    const { perOp: rawPutCpu } = await cpuPerOp(pids, cpuOps, () => measure(cpuOps, conc, (i) => etcd.put(`/bench-raw/cpu/p-${i}`).value(body).exec()));
    const { perOp: apiCreateCpu } = await cpuPerOp(pids, cpuOps, () => measure(cpuOps, conc, (i) => pods.create(pod(`p-${i}`, 'bench-cpu'))));
    const { perOp: floorCreateCpu } = await cpuPerOp(pids, cpuOps, () => measure(cpuOps, conc, (i) => floorPods.create(pod(`p-${i}`, 'bench-cpu'))));
    const create = await measureRounds(creates, rounds, conc, {
      raw: (i) => etcd.put(`/bench-raw/pods/raw/p-${i}`).value(body).exec(),
      mk8s: (i) => pods.create(pod(`p-${i}`, 'bench')),
      floor: (i) => floorPods.create(pod(`p-${i}`, 'bench')),
    });
    const get = await measureRounds(creates, rounds, conc, { raw: (i) => etcd.get(`/bench-raw/pods/raw/p-${i}`).exec(), mk8s: (i) => pods.get('bench', `p-${i}`) });
    const [rawPut, apiCreate, floorCreate, rawGet, apiGet] = [create.sides.raw, create.sides.mk8s, create.sides.floor, get.sides.raw, get.sides.mk8s];
    floorClient.close();

    log(`paced: ${pacedOps} creates and gets at ${pacedRate}/s from ${conc} clients`);
    const rawPutPaced = await measurePaced(pacedOps, conc, pacedRate, (i) => etcd.put(`/bench-raw/paced/p-${i}`).value(body).exec());
    const apiCreatePaced = await measurePaced(pacedOps, conc, pacedRate, (i) => pods.create(pod(`p-${i}`, 'bench-paced')));
    const rawGetPaced = await measurePaced(pacedOps, conc, pacedRate, (i) => etcd.get(`/bench-raw/paced/p-${i}`).exec());
    const apiGetPaced = await measurePaced(pacedOps, conc, pacedRate, (i) => pods.get('bench-paced', `p-${i}`));

    log(`filling to ${listSize} pods`);
    await pool(Array.from({ length: Math.max(0, listSize - creates) }, (_, i) => creates + i), conc, async (i) => {
      await Promise.all([pods.create(pod(`p-${i}`, 'bench')), etcd.put(`/bench-raw/pods/raw/p-${i}`).value(body).exec()]);
    });
    const listRuns = 5;
    const rawList: number[] = [];
    const apiList: number[] = [];
    for (let r = 0; r < listRuns; r++) {
      rawList.push(await timed(async () => {
        const res = await etcd.getAll().prefix('/bench-raw/pods/raw/').exec();
        if (res.kvs.length !== listSize) throw new Error(`raw list saw ${res.kvs.length}`);
        res.kvs.map((kv) => JSON.parse(kv.value.toString()));
      }));
      apiList.push(await timed(async () => {
        const l = await pods.list('bench');
        if (l.items.length !== listSize) throw new Error(`api list saw ${l.items.length}`);
      }));
    }

    log(`watch: ${watchers} watchers, ${watchEvents} events`);
    const sentAt = new Map<string, number>();
    const apiDelays: number[] = [];
    const handles: WatchHandle[] = [];
    let opened = 0;
    const watchClient = new RestClient({ server: cp.url, ca: cp.caPem, token: cp.tokens.admin });
    const list = await pods.list('bench-watch');
    for (let w = 0; w < watchers; w++) {
      handles.push(
        watchClient.resource<Pod>(RESOURCES.pods).watch('bench-watch', { resourceVersion: list.metadata.resourceVersion }, (ev) => {
          const t = sentAt.get(ev.object.metadata.name ?? '');
          if (ev.type === 'ADDED' && t !== undefined) apiDelays.push(nowMs() - t);
        }),
      );
      opened++;
    }
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < watchEvents; i++) {
      const name = `w-${i}`;
      sentAt.set(name, nowMs());
      await pods.create(pod(name, 'bench-watch'));
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => apiDelays.length >= watchers * watchEvents, { timeoutMs: 60_000, message: () => `saw ${apiDelays.length}` });
    for (const h of handles) h.stop();

    const rawSentAt = new Map<string, number>();
    const rawDelays: number[] = [];
    const rawWatchers = await Promise.all(
      Array.from({ length: opened }, async () => {
        const w = await etcd.watch().prefix('/bench-raw/watch/').create();
        w.on('put', (kv) => {
          const t = rawSentAt.get(kv.key.toString());
          if (t !== undefined) rawDelays.push(nowMs() - t);
        });
        return w;
      }),
    );
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < watchEvents; i++) {
      const key = `/bench-raw/watch/w-${i}`;
      rawSentAt.set(key, nowMs());
      await etcd.put(key).value(body).exec();
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => rawDelays.length >= opened * watchEvents, { timeoutMs: 60_000 });
    await Promise.all(rawWatchers.map((w) => w.cancel()));

    const out = (l: string) => console.log(l);
    printTable(`apiserver vs raw etcd (${conc} concurrent clients, ${creates} ops per side in ${rounds} interleaved rounds)`, ['measure', 'mk8s', 'raw etcd', 'ratio'], [
      ['create p50 ms', fmt(apiCreate.p50), fmt(rawPut.p50), fmt(apiCreate.p50 / rawPut.p50)],
      ['create p99 ms', fmt(apiCreate.p99), fmt(rawPut.p99), fmt(apiCreate.p99 / rawPut.p99)],
      [`creates/s (median of ${rounds} rounds)`, fmt(apiCreate.perSecond), fmt(rawPut.perSecond), fmt(create.ratio('mk8s', 'raw'))],
      ['get p50 ms', fmt(apiGet.p50), fmt(rawGet.p50), fmt(apiGet.p50 / rawGet.p50)],
      ['get p99 ms', fmt(apiGet.p99), fmt(rawGet.p99), fmt(apiGet.p99 / rawGet.p99)],
      [`paced ${pacedRate}/s: create p50 ms`, fmt(apiCreatePaced.p50), fmt(rawPutPaced.p50), fmt(apiCreatePaced.p50 / rawPutPaced.p50)],
      [`paced ${pacedRate}/s: create p99 ms`, fmt(apiCreatePaced.p99), fmt(rawPutPaced.p99), fmt(apiCreatePaced.p99 / rawPutPaced.p99)],
      [`paced ${pacedRate}/s: get p50 ms`, fmt(apiGetPaced.p50), fmt(rawGetPaced.p50), fmt(apiGetPaced.p50 / rawGetPaced.p50)],
      [`paced ${pacedRate}/s: get p99 ms`, fmt(apiGetPaced.p99), fmt(rawGetPaced.p99), fmt(apiGetPaced.p99 / rawGetPaced.p99)],
      [`list ${listSize} pods ms (median of ${listRuns})`, fmt(median(apiList)), fmt(median(rawList)), fmt(median(apiList) / median(rawList))],
      [`watch delay p50 ms (${opened} watchers)`, fmt(percentile(apiDelays, 50)), fmt(percentile(rawDelays, 50)), fmt(percentile(apiDelays, 50) / percentile(rawDelays, 50))],
      [`watch delay p99 ms (${opened} watchers)`, fmt(percentile(apiDelays, 99)), fmt(percentile(rawDelays, 99)), fmt(percentile(apiDelays, 99) / percentile(rawDelays, 99))],
    ], out);
    printTable('creates against the stack\'s floor (floor: bare HTTPS + one etcd3 transaction + a watch per create, bench/src/floor-server.ts)', ['measure', 'mk8s', 'floor', 'raw etcd', 'mk8s/floor', 'floor/raw'], [
      ['create p50 ms', fmt(apiCreate.p50), fmt(floorCreate.p50), fmt(rawPut.p50), fmt(apiCreate.p50 / floorCreate.p50), fmt(floorCreate.p50 / rawPut.p50)],
      ['create p99 ms', fmt(apiCreate.p99), fmt(floorCreate.p99), fmt(rawPut.p99), fmt(apiCreate.p99 / floorCreate.p99), fmt(floorCreate.p99 / rawPut.p99)],
      [`creates/s (median of ${rounds} rounds)`, fmt(apiCreate.perSecond), fmt(floorCreate.perSecond), fmt(rawPut.perSecond), fmt(create.ratio('mk8s', 'floor')), fmt(create.ratio('floor', 'raw'))],
    ], out);
    printTable(`CPU ms per create (closed loop, ${cpuOps} creates per side), by process`, ['process', 'mk8s', 'floor', 'raw etcd'], Object.keys(pids).map((k) => [k, fmt(apiCreateCpu[k]!, 3), fmt(floorCreateCpu[k]!, 3), fmt(rawPutCpu[k]!, 3)]), out);
    out('');
    out('Aims: creates >= 50% of raw etcd puts; create p99 < 25 ms; list of 10,000 pods < 300 ms; watch delivery p99 < 50 ms.');
    out(`The first rows are closed-loop: ${conc} clients each send the next request as soon as one returns, so latency there is`);
    out('mostly the queue (clients / throughput). The paced rows send a fixed total rate below saturation.');
    out('mk8s/floor is the share of what its stack (Node HTTPS, the etcd3 client, one transaction and a watch per create) allows that');
    out('the apiserver reaches; floor/raw bounds the creates ratio any apiserver on that stack could reach on this machine.');
    client.close();
    watchClient.close();
  } finally {
    etcd.close();
    await floor?.proc.stop();
    await cp.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, dflt: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  runApiserverBench({
    creates: arg('creates', 5000),
    listSize: arg('list', 10_000),
    watchers: arg('watchers', 100),
    watchEvents: arg('events', 200),
    warmup: arg('warmup', 2000),
    pacedRate: arg('paced-rate', 250),
    rounds: arg('rounds', 5),
  }).catch(
    (err: Error) => {
      console.error(err);
      process.exit(1);
    },
  );
}
