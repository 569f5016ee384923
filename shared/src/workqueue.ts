/**
 * A work queue with client-go semantics (util/workqueue):
 * - duplicates collapse: a key added N times before it is handed out is processed once;
 * - a key is never handed out twice at once: `get` marks it processing until `done`;
 * - a key re-added while processing is queued again when `done` is called;
 * - `addAfter` delays an add (the earliest pending time per key wins);
 * - `addRateLimited` delays by per-key exponential backoff (5 ms doubling, cap 1000 s by default)
 *   until `forget` resets it; `numRequeues` reports the failures counted so far.
 * After `shutDown`, adds are ignored and `get` resolves `undefined` (pending items are dropped).
 * Timers come from an injectable `Clock`.
 */
import type { Logger } from 'pino';
import { exponentialDelay } from './backoff.js';
import { realClock, type Clock, type TimerHandle } from './clock.js';
import type { WorkQueueMetrics } from './workqueue-metrics.js';

export interface WorkQueueOptions {
  clock?: Clock;
  /** first retry delay of addRateLimited; default 5 ms */
  baseDelayMs?: number;
  /** largest retry delay of addRateLimited; default 1000 s */
  maxDelayMs?: number;
  /** queue name, the `name` label of metrics */
  name?: string;
  /** from workQueueMetrics(registry) */
  metrics?: WorkQueueMetrics;
}

export class WorkQueue<K = string> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiting = new Map<K, { readyAt: number; timer: TimerHandle }>();
  private readonly failures = new Map<K, number>();
  private readonly getters: ((k: K | undefined) => void)[] = [];
  private shutdown = false;
  private readonly metrics: WorkQueueMetrics | undefined;
  private readonly startedAt = new Map<K, number>();

  constructor(opts: WorkQueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 1_000_000;
    this.name = opts.name ?? '';
    this.metrics = opts.metrics;
  }

  add(key: K): void {
    if (this.shutdown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.metrics?.adds.inc({ name: this.name });
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.dispatch();
  }

  addAfter(key: K, ms: number): void {
    if (this.shutdown) return;
    if (ms <= 0) return this.add(key);
    const readyAt = this.clock.now() + ms;
    const prev = this.waiting.get(key);
    if (prev && prev.readyAt <= readyAt) return;
    if (prev) this.clock.clearTimeout(prev.timer);
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { readyAt, timer });
  }

  /** Re-adds after this key's next backoff delay (call on a failed sync). */
  addRateLimited(key: K): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    this.metrics?.retries.inc({ name: this.name });
    this.addAfter(key, exponentialDelay(this.baseDelayMs, this.maxDelayMs, n));
  }

  /** Resets the key's failure count (call on a successful sync). */
  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Next key to process; waits while the queue is empty; `undefined` once shut down. */
  get(): Promise<K | undefined> {
    if (this.shutdown) return Promise.resolve(undefined);
    const k = this.take();
    if (k !== undefined) return Promise.resolve(k);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks the end of processing `key`; a re-add that arrived meanwhile is queued now. */
  done(key: K): void {
    this.processing.delete(key);
    const started = this.startedAt.get(key);
    if (started !== undefined) {
      this.startedAt.delete(key);
      this.metrics?.workDuration.observe({ name: this.name }, (this.clock.now() - started) / 1000);
    }
    if (this.dirty.has(key) && !this.shutdown) {
      this.queue.push(key);
      this.dispatch();
    }
  }

  /** Keys waiting to be handed out (not counting delayed or processing ones). */
  len(): number {
    return this.queue.length;
  }

  /** Keys currently scheduled by addAfter/addRateLimited. */
  delayedLen(): number {
    return this.waiting.size;
  }

  shutDown(): void {
    if (this.shutdown) return;
    this.shutdown = true;
    for (const { timer } of this.waiting.values()) this.clock.clearTimeout(timer);
    this.waiting.clear();
    this.queue.length = 0;
    this.updateDepth();
    for (const g of this.getters.splice(0)) g(undefined);
  }

  shuttingDown(): boolean {
    return this.shutdown;
  }

  private take(): K | undefined {
    if (this.queue.length === 0) return undefined;
    const k = this.queue.shift()!;
    this.processing.add(k);
    this.dirty.delete(k);
    if (this.metrics) this.startedAt.set(k, this.clock.now());
    this.updateDepth();
    return k;
  }

  private updateDepth(): void {
    this.metrics?.depth.set({ name: this.name }, this.queue.length);
  }

  private dispatch(): void {
    this.updateDepth();
    while (this.getters.length > 0 && this.queue.length > 0) {
      const g = this.getters.shift()!;
      g(this.take());
    }
  }
}

export interface RunWorkersOptions {
  /** give up on a key after this many consecutive failures (forget it); default: never */
  maxRetries?: number;
}

/**
 * Runs `n` workers, each looping processNextWorkItem: take a key, `process` it, then
 * `forget` on success or `addRateLimited` on failure, and always `done`. Resolves when the
 * queue is shut down and every worker has finished its current key.
 */
export async function runWorkers<K>(
  queue: WorkQueue<K>,
  n: number,
  process: (key: K) => Promise<void>,
  logger: Logger,
  opts: RunWorkersOptions = {},
): Promise<void> {
  const worker = async (): Promise<void> => {
    while (await processNextWorkItem(queue, process, logger, opts));
  };
  await Promise.all(Array.from({ length: n }, worker));
}

/** One step of a worker; false once the queue is shut down. */
export async function processNextWorkItem<K>(
  queue: WorkQueue<K>,
  process: (key: K) => Promise<void>,
  logger: Logger,
  opts: RunWorkersOptions = {},
): Promise<boolean> {
  const key = await queue.get();
  if (key === undefined) return false;
  try {
    await process(key);
    queue.forget(key);
  } catch (err) {
    const retries = queue.numRequeues(key);
    if (opts.maxRetries !== undefined && retries >= opts.maxRetries) {
      logger.warn({ err, key, retries }, 'sync failed; dropping key after max retries');
      queue.forget(key);
    } else {
      logger.info({ err, key, retries }, 'sync failed; requeueing');
      queue.addRateLimited(key);
    }
  } finally {
    queue.done(key);
  }
  return true;
}
