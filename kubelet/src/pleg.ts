/**
 * Pod lifecycle event generator: relists this node's containers every period, diffs the
 * new list against the previous one with the pure `generateEvents`, and hands the events
 * to `onEvents` (the kubelet enqueues the affected pods). A relist that fails keeps the
 * previous state; `healthy()` turns false when the last successful relist is older than
 * `unhealthyAfterMs`. `containers()` is the latest list, for housekeeping.
 */
import type { Logger } from '@mk8s/shared';
import type { DockerRuntime, RuntimeContainer } from './runtime/docker.js';

export type ContainerPhase = 'running' | 'exited' | 'created' | 'unknown';

export interface ContainerSnapshot {
  id: string;
  podUid: string;
  phase: ContainerPhase;
}

export type PlegEventType = 'ContainerStarted' | 'ContainerDied' | 'ContainerRemoved' | 'ContainerChanged';

export interface PlegEvent {
  podUid: string;
  containerId: string;
  type: PlegEventType;
}

export function phaseOf(dockerState: string): ContainerPhase {
  switch (dockerState) {
    case 'running':
    case 'restarting':
    case 'paused':
      return 'running';
    case 'exited':
    case 'dead':
      return 'exited';
    case 'created':
      return 'created';
    default:
      return 'unknown';
  }
}

export function snapshotOf(list: RuntimeContainer[]): Map<string, ContainerSnapshot> {
  return new Map(list.map((c) => [c.id, { id: c.id, podUid: c.podUid, phase: phaseOf(c.state) }]));
}

/** Events that turn `old` into `next`, in a stable order (by container id). */
export function generateEvents(old: ReadonlyMap<string, ContainerSnapshot>, next: ReadonlyMap<string, ContainerSnapshot>): PlegEvent[] {
  const ids = [...new Set([...old.keys(), ...next.keys()])].sort();
  const events: PlegEvent[] = [];
  for (const id of ids) {
    const a = old.get(id);
    const b = next.get(id);
    if (a && b && a.phase === b.phase) continue;
    const podUid = (b ?? a)?.podUid ?? '';
    let type: PlegEventType;
    if (!b) type = 'ContainerRemoved';
    else if (b.phase === 'running') type = 'ContainerStarted';
    else if (b.phase === 'exited') type = 'ContainerDied';
    else type = 'ContainerChanged';
    events.push({ podUid, containerId: id, type });
  }
  return events;
}

export interface PlegOptions {
  periodMs?: number;
  unhealthyAfterMs?: number;
  onEvents: (events: PlegEvent[], containers: RuntimeContainer[]) => void;
  logger: Logger;
}

export class Pleg {
  private last = new Map<string, ContainerSnapshot>();
  private list: RuntimeContainer[] = [];
  private lastRelist = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly periodMs: number;
  private readonly unhealthyAfterMs: number;

  constructor(
    private readonly runtime: DockerRuntime,
    private readonly opts: PlegOptions,
  ) {
    this.periodMs = opts.periodMs ?? 1000;
    this.unhealthyAfterMs = opts.unhealthyAfterMs ?? 3 * 60_000;
  }

  /** Does one relist now (the first one seeds state and reports every container). */
  async relist(): Promise<void> {
    try {
      const list = await this.runtime.listContainers();
      const next = snapshotOf(list);
      const events = generateEvents(this.last, next);
      this.last = next;
      this.list = list;
      this.lastRelist = Date.now();
      this.opts.onEvents(events, list);
    } catch (err) {
      this.opts.logger.warn({ err }, 'relist failed');
    }
  }

  start(): void {
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      await this.relist();
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.periodMs);
    };
    void tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  containers(): RuntimeContainer[] {
    return this.list;
  }

  healthy(): true | string {
    if (this.lastRelist === 0) return 'no relist yet';
    const age = Date.now() - this.lastRelist;
    return age > this.unhealthyAfterMs ? `last relist ${Math.round(age / 1000)}s ago` : true;
  }
}
