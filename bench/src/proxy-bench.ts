#!/usr/bin/env node
/**
 * kube-proxy data-plane benchmark: the same traffic sent straight to a pod IP (host -> Docker
 * bridge -> pod) and through the service ClusterIP (host -> lo -> kube-proxy -> bridge -> pod),
 * in one run, alternating so both see the same machine load.
 *
 * Cluster: a fresh control plane, one kubelet (pod CIDR 10.244.243.0/24), kube-proxy with its
 * own address label, and one busybox pod serving a 64 MiB file (httpd, sendfile) on 8080 and
 * an echo (`nc -ll -e cat`) on 9000, behind a selector-less Service with hand-made Endpoints.
 * Measures:
 *   - bulk: HTTP GET of the 64 MiB file over a raw socket, MB/s (median of --rounds);
 *   - ping-pong: 64-byte messages echoed on one connection, round-trip p50/p99;
 *   - connect: new connection + small HTTP GET each time, p50/p99.
 * Run: `node bench/dist/proxy-bench.js [--rounds 5] [--pings 3000] [--connects 300] [--json]`
 * after `npx tsc -b` (as root: kube-proxy adds the ClusterIP to lo).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RESOURCES, type Endpoints, type Node, type Pod, type Service } from '@mk8s/shared';
import { REPO_ROOT, spawnComponent, startControlPlane, waitFor, type ManagedProcess } from '@mk8s/shared/testing';
import { fmt, median, nowMs, percentile, printTable } from './stats.js';

export interface ProxyBenchOptions {
  rounds?: number;
  pings?: number;
  connects?: number;
  log?: (line: string) => void;
}

export interface PathFigures {
  bulkMBps: number;
  pingP50Ms: number;
  pingP99Ms: number;
  connectP50Ms: number;
  connectP99Ms: number;
}

export interface ProxyBenchResult {
  direct: PathFigures;
  proxied: PathFigures;
}

const BIG_BYTES = 64 << 20;

/** GET `path` over a raw socket; resolves with the bytes received after the request. */
function httpGet(host: string, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, noDelay: true });
    let n = 0;
    s.on('connect', () => s.write(`GET ${path} HTTP/1.0\r\nHost: x\r\n\r\n`));
    s.on('data', (b: Buffer) => (n += b.length));
    s.on('end', () => resolve(n));
    s.on('error', reject);
    s.setTimeout(30_000, () => s.destroy(new Error('timeout')));
  });
}

async function bulkMBps(host: string, port: number): Promise<number> {
  const t0 = nowMs();
  const n = await httpGet(host, port, '/big');
  if (n < BIG_BYTES) throw new Error(`short read: ${n}`);
  return n / 1e6 / ((nowMs() - t0) / 1000);
}

/** `count` round trips of a 64-byte message on one connection; each RTT in ms. */
function pingPong(host: string, port: number, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, noDelay: true });
    const msg = Buffer.alloc(64, 'x');
    const rtts: number[] = [];
    let got = 0;
    let t0 = 0;
    const send = () => {
      got = 0;
      t0 = nowMs();
      s.write(msg);
    };
    s.on('connect', send);
    s.on('data', (b: Buffer) => {
      got += b.length;
      if (got < msg.length) return;
      rtts.push(nowMs() - t0);
      if (rtts.length >= count) {
        s.destroy();
        resolve(rtts);
      } else send();
    });
    s.on('error', reject);
    s.setTimeout(30_000, () => s.destroy(new Error('timeout')));
  });
}

async function connectLatencies(host: string, port: number, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = nowMs();
    await httpGet(host, port, '/small');
    out.push(nowMs() - t0);
  }
  return out;
}

export async function runProxyBench(o: ProxyBenchOptions = {}): Promise<ProxyBenchResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const rounds = o.rounds ?? 5;
  const r = 100 + Math.floor(Math.random() * 150);
  const serviceRange = `10.109.${r}.0/24`;
  const node = `proxy-bench-${r}`;
  const label = `kpb${r}`;
  execFileSync('bash', [join(REPO_ROOT, 'deploy/images/build-test-images.sh')], { stdio: 'ignore' });
  const cp = await startControlPlane({ apiserverArgs: ['--service-cluster-ip-range', serviceRange] });
  const rootDir = mkdtempSync(join(tmpdir(), 'mk8s-proxy-bench-'));
  const env = { LOG_LEVEL: 'warn' };
  const procs: ManagedProcess[] = [];
  try {
    procs.push(
      spawnComponent('kubelet', ['--kubeconfig', cp.kubeconfigFor('kubelet'), '--node-name', node, '--pod-cidr', '10.244.243.0/24', '--root-dir', rootDir, '--port', '0', '--ops-port', '0'], { env }),
    );
    procs.push(
      spawnComponent('kube-proxy', ['--kubeconfig', cp.kubeconfigFor('kube-proxy'), '--node-name', node, '--ops-port', '0', '--dns', 'false', '--address-label', label], { env }),
    );
    await waitFor(async () => (await cp.client.resource<Node>(RESOURCES.nodes).get(undefined, node)).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'), {
      timeoutMs: 60_000,
      message: 'bench node not ready',
    });
    log('node ready; starting the server pod');
    const script = 'mkdir -p /www; dd if=/dev/zero of=/www/big bs=1048576 count=64 2>/dev/null; echo hi > /www/small; httpd -p 8080 -h /www; exec nc -ll -p 9000 -e cat';
    await cp.client.resource<Pod>(RESOURCES.pods).create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sink', namespace: 'default' },
      spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'srv', image: 'mk8s/busybox:1', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }] },
    });
    const pod = await waitFor(
      async () => {
        const p = await cp.client.resource<Pod>(RESOURCES.pods).get('default', 'sink');
        return p.status?.phase === 'Running' && p.status.podIP ? p : undefined;
      },
      { timeoutMs: 60_000, message: 'bench pod not running' },
    );
    const podIp = pod.status!.podIP!;
    const svc = await cp.client.resource<Service>(RESOURCES.services).create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'sink', namespace: 'default' },
      spec: { ports: [{ name: 'http', port: 80 }, { name: 'echo', port: 9000 }] },
    });
    await cp.client.resource<Endpoints>(RESOURCES.endpoints).create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'sink', namespace: 'default' },
      subsets: [{ addresses: [{ ip: podIp }], ports: [{ name: 'http', port: 8080 }, { name: 'echo', port: 9000 }] }],
    });
    const vip = svc.spec.clusterIP!;
    await waitFor(async () => (await httpGet(vip, 80, '/small')) > 0 && (await httpGet(podIp, 8080, '/small')) > 0, {
      timeoutMs: 30_000,
      message: 'service or pod never answered',
    });
    log(`pod ${podIp}, ClusterIP ${vip}; measuring`);

    const paths = { direct: { host: podIp, http: 8080, echo: 9000 }, proxied: { host: vip, http: 80, echo: 9000 } };
    const bulk: Record<'direct' | 'proxied', number[]> = { direct: [], proxied: [] };
    const pings: Record<'direct' | 'proxied', number[]> = { direct: [], proxied: [] };
    const connects: Record<'direct' | 'proxied', number[]> = { direct: [], proxied: [] };
    // warm-up
    await bulkMBps(podIp, 8080);
    await bulkMBps(vip, 80);
    for (let i = 0; i < rounds; i++) {
      for (const k of ['direct', 'proxied'] as const) {
        const p = paths[k];
        bulk[k].push(await bulkMBps(p.host, p.http));
        pings[k].push(...(await pingPong(p.host, p.echo, Math.ceil((o.pings ?? 3000) / rounds))));
        connects[k].push(...(await connectLatencies(p.host, p.http, Math.ceil((o.connects ?? 300) / rounds))));
      }
      log(`round ${i + 1}/${rounds}: bulk direct ${fmt(bulk.direct.at(-1)!)} MB/s, proxied ${fmt(bulk.proxied.at(-1)!)} MB/s`);
    }
    const figures = (k: 'direct' | 'proxied'): PathFigures => ({
      bulkMBps: median(bulk[k]),
      pingP50Ms: percentile(pings[k], 50),
      pingP99Ms: percentile(pings[k], 99),
      connectP50Ms: percentile(connects[k], 50),
      connectP99Ms: percentile(connects[k], 99),
    });
    return { direct: figures('direct'), proxied: figures('proxied') };
  } finally {
    for (const p of procs.reverse()) await p.stop();
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=mk8s.node=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
    rmSync(rootDir, { recursive: true, force: true });
    await cp.stop();
  }
}

export function printProxyBench(r: ProxyBenchResult, out: (line: string) => void = console.log): void {
  const d = r.direct;
  const p = r.proxied;
  const delta = (x: number) => `${x >= 0 ? '+' : ''}${fmt(x, 3)} ms`;
  printTable(
    'kube-proxy: pod IP directly vs through the service ClusterIP',
    ['measure', 'direct', 'via ClusterIP', 'proxy vs direct'],
    [
      ['bulk GET 64 MiB (MB/s, median)', fmt(d.bulkMBps), fmt(p.bulkMBps), `${fmt((100 * p.bulkMBps) / d.bulkMBps, 0)}% (aim >= 60%)`],
      ['ping-pong 64 B RTT p50 (ms)', fmt(d.pingP50Ms, 3), fmt(p.pingP50Ms, 3), `${delta(p.pingP50Ms - d.pingP50Ms)} (aim <= 0.2)`],
      ['ping-pong 64 B RTT p99 (ms)', fmt(d.pingP99Ms, 3), fmt(p.pingP99Ms, 3), delta(p.pingP99Ms - d.pingP99Ms)],
      ['connect + GET p50 (ms)', fmt(d.connectP50Ms, 3), fmt(p.connectP50Ms, 3), delta(p.connectP50Ms - d.connectP50Ms)],
      ['connect + GET p99 (ms)', fmt(d.connectP99Ms, 3), fmt(p.connectP99Ms, 3), delta(p.connectP99Ms - d.connectP99Ms)],
    ],
    out,
  );
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
  runProxyBench({ rounds: argValue(args, '--rounds'), pings: argValue(args, '--pings'), connects: argValue(args, '--connects') })
    .then((r) => {
      if (args.includes('--json')) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      else printProxyBench(r);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`proxy bench failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
}
