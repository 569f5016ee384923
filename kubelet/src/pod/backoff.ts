/**
 * Per-key exponential back-off (container restarts, image pulls), as the kubelet keeps it:
 * the first failure is retried at once; each later one waits `base` doubling up to `cap`.
 * `isInBackOff(key, eventTime)` asks whether `eventTime` (a container's finish time, or a
 * pull failure) is still inside the current delay; `next(key, eventTime)` records a retry.
 * A key whose last run lasted at least `resetAfterMs` starts over from `base`.
 * Time is a parameter (`now`), so tests need no sleeping.
 */

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  resetAfterMs?: number;
  now?: () => number;
}

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly opts: BackoffOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Current delay for `key` (0 when none). */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** True while `now - eventTime` is shorter than the key's current delay. */
  isInBackOff(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    return this.now() - eventTime < e.delayMs;
  }

  /** Milliseconds left until `isInBackOff` turns false (0 when not backing off). */
  remaining(key: string, eventTime: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.delayMs - (this.now() - eventTime));
  }

  /**
   * Records a retry. `ranForMs`, when given, is how long the previous run lasted: a run
   * of at least `resetAfterMs` resets the delay to base.
   */
  next(key: string, ranForMs?: number): void {
    const e = this.entries.get(key);
    const reset = this.opts.resetAfterMs !== undefined && ranForMs !== undefined && ranForMs >= this.opts.resetAfterMs;
    const delayMs = !e || reset ? this.opts.baseMs : Math.min(e.delayMs * 2, this.opts.capMs);
    this.entries.set(key, { delayMs, lastUpdate: this.now() });
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops keys matching the prefix (a pod's containers when the pod goes). */
  resetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Drops entries idle for more than twice the cap. */
  gc(): void {
    const limit = 2 * this.opts.capMs;
    for (const [k, e] of this.entries) if (this.now() - e.lastUpdate > limit) this.entries.delete(k);
  }
}
