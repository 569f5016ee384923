/**
 * The kubelet's Summary API (`GET /stats/summary`, the subset metrics-server reads): node and
 * per-pod, per-container CPU (nano-cores, a rate between two samples) and memory (working
 * set: usage minus inactive file cache). A sampler reads Docker's one-shot stats of this
 * node's running app containers every period; the endpoint serves the latest figures.
 */
import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import type { Logger } from '@mk8s/shared';
import {
  DOCKER_TYPE_CONTAINER,
  LABEL_CONTAINER_NAME,
  LABEL_DOCKER_TYPE,
  LABEL_NODE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
} from '../runtime/labels.js';

export interface CpuSample {
  /** cumulative CPU time in nanoseconds */
  usageNs: number;
  /** wall clock of the sample in nanoseconds */
  atNs: number;
}

export interface Summary {
  node: { nodeName: string; cpu: { time: string; usageNanoCores: number }; memory: { time: string; workingSetBytes: number } };
  pods: {
    podRef: { name: string; namespace: string; uid: string };
    containers: { name: string; cpu: { time: string; usageNanoCores: number }; memory: { time: string; workingSetBytes: number } }[];
  }[];
}

/** CPU rate between two samples, in nano-cores (1e9 = one core busy). */
export function nanoCores(prev: CpuSample | undefined, cur: CpuSample): number {
  if (!prev || cur.atNs <= prev.atNs || cur.usageNs < prev.usageNs) return 0;
  return Math.round(((cur.usageNs - prev.usageNs) / (cur.atNs - prev.atNs)) * 1e9);
}

interface DockerStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

export function workingSet(m: DockerStats['memory_stats']): number {
  const usage = m?.usage ?? 0;
  const inactive = m?.stats?.total_inactive_file ?? m?.stats?.inactive_file ?? 0;
  return Math.max(0, usage - inactive);
}

/** Host CPU time (ns) from /proc/stat and memory in use from /proc/meminfo. */
function hostSample(): { cpu: CpuSample; memBytes: number } {
  const hz = 100;
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const busyTicks = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  const mem = readFileSync('/proc/meminfo', 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(mem)?.[1] ?? 0) * 1024;
  return { cpu: { usageNs: (busyTicks / hz) * 1e9, atNs: Number(process.hrtime.bigint()) }, memBytes: kb('MemTotal') - kb('MemAvailable') };
}

export class StatsSampler {
  private prev = new Map<string, CpuSample>();
  private hostPrev: CpuSample | undefined;
  private latest: Summary;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly nodeName: string,
    private readonly logger: Logger,
    private readonly periodMs = 10_000,
  ) {
    const t = new Date().toISOString();
    this.latest = { node: { nodeName, cpu: { time: t, usageNanoCores: 0 }, memory: { time: t, workingSetBytes: 0 } }, pods: [] };
  }

  start(): void {
    const tick = () =>
      void this.sample().catch((err: Error) => this.logger.warn({ err: err.message }, 'stats sample failed'));
    tick();
    this.timer = setInterval(tick, this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  summary(): Summary {
    return this.latest;
  }

  async sample(): Promise<Summary> {
    const list = await this.docker.listContainers({
      filters: { label: [`${LABEL_NODE}=${this.nodeName}`, `${LABEL_DOCKER_TYPE}=${DOCKER_TYPE_CONTAINER}`], status: ['running'] },
    });
    const now = new Date().toISOString();
    const pods = new Map<string, Summary['pods'][number]>();
    const seen = new Set<string>();
    await Promise.all(
      list.map(async (c) => {
        const l = c.Labels;
        let s: DockerStats;
        try {
          s = (await this.docker.getContainer(c.Id).stats({ stream: false, 'one-shot': true } as { stream: false })) as DockerStats;
        } catch {
          return;
        }
        const cur: CpuSample = { usageNs: s.cpu_stats?.cpu_usage?.total_usage ?? 0, atNs: s.read ? Date.parse(s.read) * 1e6 : Date.now() * 1e6 };
        const usage = nanoCores(this.prev.get(c.Id), cur);
        this.prev.set(c.Id, cur);
        seen.add(c.Id);
        const uid = l[LABEL_POD_UID] ?? '';
        let pod = pods.get(uid);
        if (!pod) {
          pod = { podRef: { name: l[LABEL_POD_NAME] ?? '', namespace: l[LABEL_POD_NAMESPACE] ?? '', uid }, containers: [] };
          pods.set(uid, pod);
        }
        pod.containers.push({ name: l[LABEL_CONTAINER_NAME] ?? '', cpu: { time: now, usageNanoCores: usage }, memory: { time: now, workingSetBytes: workingSet(s.memory_stats) } });
      }),
    );
    for (const id of [...this.prev.keys()]) if (!seen.has(id)) this.prev.delete(id);
    const host = hostSample();
    const nodeCpu = nanoCores(this.hostPrev, host.cpu);
    this.hostPrev = host.cpu;
    this.latest = {
      node: { nodeName: this.nodeName, cpu: { time: now, usageNanoCores: nodeCpu }, memory: { time: now, workingSetBytes: host.memBytes } },
      pods: [...pods.values()],
    };
    return this.latest;
  }
}
