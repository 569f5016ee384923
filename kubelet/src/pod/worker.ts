/**
 * Pod workers: one serial worker per pod UID. Updates never queue up: the latest pod
 * object wins, and a worker that is busy runs once more when it finishes. State machine
 * per UID: syncing -> terminating -> terminated. A pod enters terminating when it has a
 * deletionTimestamp or is gone from the API, and never goes back to syncing; a terminated
 * worker whose pod is gone from the API is forgotten. After each sync the worker schedules
 * the next one (the sync's requeueAfterMs, else the periodic resync); failures retry with
 * a doubling delay up to 30 s.
 */
import type { Logger, Pod } from '@mk8s/shared';
import type { SyncResult } from './sync.js';

export type WorkerState = 'syncing' | 'terminating' | 'terminated';

interface PodWorker {
  uid: string;
  pod: Pod | undefined;
  removed: boolean;
  state: WorkerState;
  busy: boolean;
  dirty: boolean;
  timer: NodeJS.Timeout | undefined;
  failures: number;
  idle: Promise<void>;
}

export interface PodWorkersOptions {
  syncPod: (pod: Pod) => Promise<SyncResult>;
  terminatePod: (uid: string, pod: Pod | undefined) => Promise<void>;
  logger: Logger;
  resyncMs?: number;
  onSynced?: (seconds: number, ok: boolean) => void;
}

export class PodWorkers {
  private readonly workers = new Map<string, PodWorker>();
  private stopped = false;
  private readonly resyncMs: number;

  constructor(private readonly opts: PodWorkersOptions) {
    this.resyncMs = opts.resyncMs ?? 10_000;
  }

  /**
   * A new version of the pod from the API; `undefined` when the pod is gone. With
   * `sync: false` the object is only remembered (a known pod's status-only change).
   */
  update(uid: string, pod: Pod | undefined, opts: { sync?: boolean } = {}): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    const known = w?.pod !== undefined;
    if (!w) {
      w = { uid, pod, removed: false, state: 'syncing', busy: false, dirty: false, timer: undefined, failures: 0, idle: Promise.resolve() };
      this.workers.set(uid, w);
    }
    if (pod) w.pod = pod;
    else w.removed = true;
    if (opts.sync === false && known && pod) return;
    this.kick(w);
  }

  /** Sync the pod again with its last known object (runtime changed, probe verdict). */
  enqueue(uid: string): void {
    const w = this.workers.get(uid);
    if (w) this.kick(w);
  }

  knows(uid: string): boolean {
    return this.workers.has(uid);
  }

  state(uid: string): WorkerState | undefined {
    return this.workers.get(uid)?.state;
  }

  /** Number of pods in the syncing state. */
  activeCount(): number {
    let n = 0;
    for (const w of this.workers.values()) if (w.state === 'syncing') n++;
    return n;
  }

  /** Stops scheduling and waits for running syncs to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) if (w.timer) clearTimeout(w.timer);
    await Promise.all([...this.workers.values()].map((w) => w.idle));
  }

  private kick(w: PodWorker): void {
    if (this.stopped) return;
    if (w.busy) {
      w.dirty = true;
      return;
    }
    if (w.timer) clearTimeout(w.timer);
    w.timer = undefined;
    w.busy = true;
    w.idle = this.run(w).finally(() => {
      w.busy = false;
    });
  }

  private async run(w: PodWorker): Promise<void> {
    do {
      w.dirty = false;
      let next: number | undefined = this.resyncMs;
      const started = Date.now();
      let ok = true;
      this.opts.logger.debug({ uid: w.uid, pod: w.pod?.metadata.name, state: w.state }, 'pod sync start');
      try {
        if (w.state === 'syncing' && (w.removed || w.pod?.metadata.deletionTimestamp)) w.state = 'terminating';
        if (w.state === 'syncing' && w.pod) {
          const res = await this.opts.syncPod(w.pod);
          if (res.requeueAfterMs !== undefined) next = Math.min(res.requeueAfterMs, this.resyncMs);
        } else if (w.state !== 'syncing') {
          await this.opts.terminatePod(w.uid, w.removed ? undefined : w.pod);
          w.state = 'terminated';
          next = undefined;
          if (w.removed) this.workers.delete(w.uid);
        }
        w.failures = 0;
      } catch (err) {
        ok = false;
        w.failures++;
        next = Math.min(30_000, 500 * 2 ** Math.min(w.failures - 1, 6));
        this.opts.logger.warn({ err, uid: w.uid, pod: w.pod?.metadata.name, state: w.state }, 'pod sync failed');
      }
      this.opts.onSynced?.((Date.now() - started) / 1000, ok);
      this.opts.logger.debug({ uid: w.uid, pod: w.pod?.metadata.name, ms: Date.now() - started, ok }, 'pod sync done');
      if (!w.dirty && next !== undefined && !this.stopped && this.workers.get(w.uid) === w) {
        w.timer = setTimeout(() => this.kick(w), next);
      }
    } while (w.dirty && !this.stopped);
  }
}
