/**
 * The scheduling queue: where pending pods wait for a decision (Kubernetes'
 * `PriorityQueue`: activeQ, backoffQ, unschedulable pods).
 *
 * Contract:
 * - A pod (by namespace/name key) is in at most one place: active, backoff, unschedulable,
 *   or in flight (popped, decision or bind under way). Adding a pod that is already queued
 *   only refreshes the stored object.
 * - `pop` hands out active pods by priority (higher first), then by arrival; it waits when
 *   the active queue is empty and returns undefined once the queue is closed.
 * - After a failed attempt a pod goes to `unschedulable` (no node fits) or `backoff`
 *   (error): it is never retried in a hot loop. Unschedulable pods come back when a cluster
 *   event may help (`moveAllToActiveOrBackoff`: node added or changed, pod deleted), when
 *   their own spec changes, or after `maxUnschedulableMs`. A pod whose attempt overlapped
 *   such an event goes to backoff instead, so the event is never missed.
 * - Backoff grows from `initialBackoffMs`, doubling per attempt, to `maxBackoffMs`.
 * - Time is a parameter (`now`); `flush()` moves due pods and is what the timer calls.
 */
import type { Pod } from '@mk8s/shared';
import { Heap } from './heap.js';

export interface QueuedPod {
  readonly key: string;
  pod: Pod;
  /** scheduling attempts so far */
  attempts: number;
  /** when the pod first entered the queue (for the end-to-end latency metric) */
  readonly initialTimestamp: number;
  /** when it last entered the active queue (ordering) */
  timestamp: number;
  /** when the last attempt ended */
  lastAttemptAt: number;
  /** the scheduling cycle of the current attempt */
  cycle: number;
  /** set when the pod's spec changed while it was in flight */
  changedInFlight: boolean;
}

export interface SchedulingQueueOptions {
  now?: () => number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxUnschedulableMs?: number;
  /** how often the timer moves due pods; 0 disables the timer (tests call flush) */
  flushIntervalMs?: number;
}

interface HeapEntry {
  qp: QueuedPod;
  priority: number;
  seq: number;
}

export const podKey = (pod: Pod): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;

const priority = (p: Pod): number => p.spec.priority ?? 0;

/** True when an update may change the decision for a pod (its spec or labels), not just its status. */
export function podSchedulingPropertiesChanged(oldPod: Pod, newPod: Pod): boolean {
  return (
    JSON.stringify(oldPod.spec) !== JSON.stringify(newPod.spec) ||
    JSON.stringify(oldPod.metadata.labels ?? {}) !== JSON.stringify(newPod.metadata.labels ?? {})
  );
}

export class SchedulingQueue {
  private readonly now: () => number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly active = new Map<string, QueuedPod>();
  /** heap entries are snapshots; an entry is live while `active` holds its pod with the same seq */
  private readonly activeHeap = new Heap<HeapEntry>((a, b) => (a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq));
  private readonly activeSeq = new Map<string, number>();
  private seq = 0;
  private readonly backoff = new Map<string, QueuedPod>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly inFlight = new Map<string, QueuedPod>();
  private waiters: ((qp: QueuedPod | undefined) => void)[] = [];
  private closed = false;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: SchedulingQueueOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 60_000;
    const interval = opts.flushIntervalMs ?? 1000;
    if (interval > 0) {
      this.timer = setInterval(() => this.flush(), interval);
      this.timer.unref();
    }
  }

  /** A new or updated pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    const queued = this.find(key);
    if (queued) {
      const changed = podSchedulingPropertiesChanged(queued.pod, pod);
      queued.pod = pod;
      if (this.inFlight.has(key)) queued.changedInFlight ||= changed;
      else if (changed && this.unschedulable.has(key)) {
        this.unschedulable.delete(key);
        this.toActiveOrBackoff(queued);
      }
      return;
    }
    const now = this.now();
    this.pushActive({ key, pod, attempts: 0, initialTimestamp: now, timestamp: now, lastAttemptAt: 0, cycle: 0, changedInFlight: false });
  }

  /** The pod was deleted, bound, or is no longer ours. An attempt in flight then ends quietly. */
  delete(pod: Pod): void {
    const key = podKey(pod);
    this.inFlight.delete(key);
    this.active.delete(key);
    this.activeSeq.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
  }

  /** The next pod to schedule; undefined when closed. */
  pop(): Promise<QueuedPod | undefined> {
    const qp = this.popActive();
    if (qp || this.closed) return Promise.resolve(qp);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The attempt found no node. */
  addUnschedulable(qp: QueuedPod): void {
    if (!this.finishAttempt(qp)) return;
    if (qp.changedInFlight || this.moveRequestCycle >= qp.cycle) this.backoff.set(qp.key, qp);
    else this.unschedulable.set(qp.key, qp);
  }

  /** The attempt failed with an error (plugin error, failed bind): retry after backoff. */
  addBackoff(qp: QueuedPod): void {
    if (this.finishAttempt(qp)) this.backoff.set(qp.key, qp);
  }

  /** The attempt ended with the pod bound (or gone): forget it. */
  done(qp: QueuedPod): void {
    if (this.inFlight.get(qp.key) === qp) this.inFlight.delete(qp.key);
  }

  /** A cluster event that may make unschedulable pods fit. */
  moveAllToActiveOrBackoff(): void {
    for (const qp of this.unschedulable.values()) this.toActiveOrBackoff(qp);
    this.unschedulable.clear();
    this.moveRequestCycle = this.schedulingCycle;
  }

  /** Moves pods whose backoff ended to active, and pods unschedulable for too long to active/backoff. */
  flush(): void {
    const now = this.now();
    for (const qp of this.backoff.values()) {
      if (this.backoffExpiry(qp) <= now) {
        this.backoff.delete(qp.key);
        this.pushActive(qp);
      }
    }
    for (const qp of this.unschedulable.values()) {
      if (now - qp.lastAttemptAt >= this.maxUnschedulableMs) {
        this.unschedulable.delete(qp.key);
        this.toActiveOrBackoff(qp);
      }
    }
  }

  counts(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  has(key: string): boolean {
    return this.find(key) !== undefined;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(undefined);
  }

  backoffDurationMs(attempts: number): number {
    if (attempts <= 0) return 0;
    return Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(attempts - 1, 30));
  }

  private backoffExpiry(qp: QueuedPod): number {
    return qp.lastAttemptAt + this.backoffDurationMs(qp.attempts);
  }

  private find(key: string): QueuedPod | undefined {
    return this.inFlight.get(key) ?? this.active.get(key) ?? this.backoff.get(key) ?? this.unschedulable.get(key);
  }

  /** Ends the in-flight attempt; false when the pod was deleted meanwhile. */
  private finishAttempt(qp: QueuedPod): boolean {
    if (this.inFlight.get(qp.key) !== qp) return false;
    this.inFlight.delete(qp.key);
    qp.lastAttemptAt = this.now();
    return true;
  }

  private toActiveOrBackoff(qp: QueuedPod): void {
    if (this.backoffExpiry(qp) > this.now()) this.backoff.set(qp.key, qp);
    else this.pushActive(qp);
  }

  private pushActive(qp: QueuedPod): void {
    qp.timestamp = this.now();
    qp.changedInFlight = false;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.startAttempt(qp);
      waiter(qp);
      return;
    }
    const seq = ++this.seq;
    this.active.set(qp.key, qp);
    this.activeSeq.set(qp.key, seq);
    this.activeHeap.push({ qp, priority: priority(qp.pod), seq });
  }

  private popActive(): QueuedPod | undefined {
    for (;;) {
      const entry = this.activeHeap.pop();
      if (!entry) return undefined;
      const qp = entry.qp;
      if (this.active.get(qp.key) !== qp || this.activeSeq.get(qp.key) !== entry.seq) continue; // deleted or re-queued since
      this.active.delete(qp.key);
      this.activeSeq.delete(qp.key);
      this.startAttempt(qp);
      return qp;
    }
  }

  private startAttempt(qp: QueuedPod): void {
    qp.attempts++;
    qp.cycle = ++this.schedulingCycle;
    this.inFlight.set(qp.key, qp);
  }
}
