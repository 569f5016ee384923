/**
 * Capped exponential backoff. `Backoff` is the stateful form a retry loop holds (informer,
 * leader election); `exponentialDelay` the pure rule the workqueue's per-key limiter uses.
 * Jitter, when asked for, only ever lengthens a delay (by up to `jitter` times it).
 */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** growth per failure; default 2 */
  factor?: number;
  /** extra random fraction in [0, jitter); default 0 */
  jitter?: number;
  random?: () => number;
}

/** Delay before retry number `failures` (1-based): initial * factor^(failures-1), capped at max. */
export function exponentialDelay(initialMs: number, maxMs: number, failures: number, factor = 2): number {
  if (failures <= 0) return 0;
  const d = initialMs * Math.pow(factor, failures - 1);
  return Number.isFinite(d) ? Math.min(d, maxMs) : maxMs;
}

export class Backoff {
  private failures = 0;
  constructor(private readonly opts: BackoffOptions) {}

  /** Records a failure and returns how long to wait before the next attempt. */
  next(): number {
    this.failures++;
    const base = exponentialDelay(this.opts.initialMs, this.opts.maxMs, this.failures, this.opts.factor ?? 2);
    const jitter = this.opts.jitter ?? 0;
    if (jitter <= 0) return base;
    return Math.min(base * (1 + jitter * (this.opts.random ?? Math.random)()), this.opts.maxMs * (1 + jitter));
  }

  /** Call after a success. */
  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
