/**
 * ControllerExpectations (k8s pkg/controller/controller_utils.go): what a controller is still
 * waiting to see in its informer cache after its own writes, per owner key. Before creating or
 * deleting, the controller records "expect N creations" or "expect deletion of these pod keys";
 * informer handlers lower the counts as adds and deletes arrive (or the controller lowers them at
 * once when a write failed). `satisfied(key)` is true when nothing is pending, when no record
 * exists, or when the record is older than the TTL (5 minutes): a lost watch event must not wedge
 * the controller forever. Deletions are tracked by pod key so observing one twice is harmless.
 */
import { realClock, type Clock } from '@mk8s/shared';

interface Record {
  adds: number;
  deletes: Set<string>;
  timestampMs: number;
}

export const EXPECTATIONS_TTL_MS = 5 * 60_000;

export class Expectations {
  private readonly records = new Map<string, Record>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly ttlMs = EXPECTATIONS_TTL_MS,
  ) {}

  expectCreations(key: string, n: number): void {
    this.records.set(key, { adds: n, deletes: new Set(), timestampMs: this.clock.now() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.records.set(key, { adds: 0, deletes: new Set(podKeys), timestampMs: this.clock.now() });
  }

  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.adds--;
  }

  deletionObserved(key: string, podKey: string): void {
    this.records.get(key)?.deletes.delete(podKey);
  }

  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.adds <= 0 && r.deletes.size === 0) return true;
    return this.clock.now() - r.timestampMs > this.ttlMs;
  }

  /** Pending counts, for logs and tests. */
  pending(key: string): { adds: number; deletes: number } | undefined {
    const r = this.records.get(key);
    return r ? { adds: Math.max(0, r.adds), deletes: r.deletes.size } : undefined;
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}
