/**
 * Runs each running container's liveness, readiness and startup probes on their periods
 * (through the probe runners in ../probes) and keeps the verdicts per container id.
 *
 * - Without a startup probe a container counts as started once running; liveness and
 *   readiness probes wait until it has started.
 * - Without a readiness probe a started container is ready; with one it is not ready
 *   until the probe succeeds (successThreshold times).
 * - A liveness (or startup) verdict of failure marks the container "unhealthy": the pod
 *   sync then kills it and restarts it per restartPolicy.
 * Verdict changes call `onChange(podUid)` so the pod is synced and its status rewritten.
 * `syncPod` is idempotent: it starts workers for new container ids and stops the rest.
 */
import type Docker from 'dockerode';
import type { Container, Logger, Pod, Probe } from '@mk8s/shared';
import { ProbeState, runProbe } from '../probes/index.js';
import type { EventSink } from './events.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

interface Worker {
  kind: ProbeKind;
  containerId: string;
  podUid: string;
  timer: NodeJS.Timeout | undefined;
  stopped: boolean;
}

interface ContainerProbes {
  podUid: string;
  started: boolean;
  ready: boolean;
  unhealthy?: string;
  workers: Worker[];
}

export interface RunningContainer {
  name: string;
  containerId: string;
  /** ms since epoch */
  startedAt: number;
}

const TITLE: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export class ProbeManager {
  private readonly byContainer = new Map<string, ContainerProbes>();

  constructor(
    private readonly opts: {
      docker: Docker;
      logger: Logger;
      recorder: EventSink;
      onChange: (podUid: string) => void;
    },
  ) {}

  isStarted(containerId: string): boolean {
    return this.byContainer.get(containerId)?.started ?? false;
  }

  isReady(containerId: string): boolean {
    return this.byContainer.get(containerId)?.ready ?? false;
  }

  /** The failure message when liveness or startup failed, else undefined. */
  unhealthy(containerId: string): string | undefined {
    return this.byContainer.get(containerId)?.unhealthy;
  }

  /** Brings workers in line with the pod's currently running containers. */
  syncPod(pod: Pod, running: RunningContainer[], podIp: string | undefined): void {
    const uid = pod.metadata.uid ?? '';
    const live = new Set(running.map((r) => r.containerId));
    for (const [id, cp] of this.byContainer) if (cp.podUid === uid && !live.has(id)) this.drop(id);
    for (const r of running) {
      if (this.byContainer.has(r.containerId)) continue;
      const spec = pod.spec.containers.find((c) => c.name === r.name);
      if (!spec) continue;
      this.add(pod, spec, r, podIp);
    }
  }

  removePod(uid: string): void {
    for (const [id, cp] of this.byContainer) if (cp.podUid === uid) this.drop(id);
  }

  stop(): void {
    for (const id of [...this.byContainer.keys()]) this.drop(id);
  }

  private drop(id: string): void {
    const cp = this.byContainer.get(id);
    if (!cp) return;
    for (const w of cp.workers) {
      w.stopped = true;
      if (w.timer) clearTimeout(w.timer);
    }
    this.byContainer.delete(id);
  }

  private add(pod: Pod, c: Container, r: RunningContainer, podIp: string | undefined): void {
    const uid = pod.metadata.uid ?? '';
    const cp: ContainerProbes = { podUid: uid, started: !c.startupProbe, ready: !c.startupProbe && !c.readinessProbe, workers: [] };
    this.byContainer.set(r.containerId, cp);
    const ports: Record<string, number> = {};
    for (const p of c.ports ?? []) if (p.name) ports[p.name] = p.containerPort;
    const kinds: Array<[ProbeKind, Probe | undefined]> = [
      ['startup', c.startupProbe],
      ['liveness', c.livenessProbe],
      ['readiness', c.readinessProbe],
    ];
    for (const [kind, probe] of kinds) {
      if (!probe) continue;
      const w: Worker = { kind, containerId: r.containerId, podUid: uid, timer: undefined, stopped: false };
      cp.workers.push(w);
      const state = new ProbeState(probe, { startedAt: r.startedAt });
      const tick = async (): Promise<void> => {
        if (w.stopped) return;
        const gated = kind !== 'startup' && !cp.started;
        if (!gated && state.isDue(Date.now())) {
          const out = await runProbe(probe, { docker: this.opts.docker, containerId: r.containerId, podIP: podIp, ports });
          if (w.stopped) return;
          this.record(pod, c, cp, kind, state, out.result, out.output);
        }
        if (!w.stopped) w.timer = setTimeout(() => void tick(), 250);
      };
      w.timer = setTimeout(() => void tick(), 0);
    }
  }

  private record(pod: Pod, c: Container, cp: ContainerProbes, kind: ProbeKind, state: ProbeState, result: 'success' | 'failure', output: string): void {
    const before = state.current;
    const verdict = state.record(result, Date.now());
    if (result === 'failure') {
      const msg = `${TITLE[kind]} probe failed: ${output.trim()}`.slice(0, 1024);
      this.opts.recorder.event(pod, 'Warning', 'Unhealthy', msg);
      this.opts.logger.debug({ pod: pod.metadata.name, container: c.name, kind, output }, 'probe failed');
    }
    if (verdict === before) return;
    let changed = false;
    if (kind === 'readiness') {
      const ready = verdict === 'success';
      changed = ready !== cp.ready;
      cp.ready = ready;
    } else if (kind === 'startup') {
      if (verdict === 'success' && !cp.started) {
        cp.started = true;
        if (!c.readinessProbe) cp.ready = true;
        changed = true;
      } else if (verdict === 'failure') {
        cp.unhealthy = `Container ${c.name} failed startup probe, will be restarted`;
        changed = true;
      }
    } else if (verdict === 'failure') {
      cp.unhealthy = `Container ${c.name} failed liveness probe, will be restarted`;
      changed = true;
    }
    if (changed) this.opts.onChange(cp.podUid);
  }
}
