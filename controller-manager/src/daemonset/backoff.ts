/**
 * FailedPodBackoff (k8s flowcontrol.Backoff as the DaemonSet controller uses it): per key
 * (DaemonSet uid, generation, node) a delay that starts at 1s and doubles up to 15 minutes each
 * time a failed daemon pod is killed, so a pod the kubelet keeps rejecting is not recreated in a
 * hot loop. Entries idle for twice the maximum are forgotten.
 */
import type { Clock } from '@mk8s/shared';

export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 15 * 60_000;

export class FailedPodBackoff {
  private readonly entries = new Map<string, { delayMs: number; lastMs: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  /** ms until the key may act again; 0 when it may act now */
  remainingMs(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.lastMs + e.delayMs - this.clock.now());
  }

  /** records an action now and doubles the delay before the next one */
  next(key: string): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (now - e.lastMs > 2 * this.maxMs) this.entries.delete(k);
    const e = this.entries.get(key);
    const delayMs = e ? Math.min(e.delayMs * 2, this.maxMs) : this.initialMs;
    this.entries.set(key, { delayMs, lastMs: now });
  }
}
