/**
 * Remembers the slice writes this controller made until its informer has seen them
 * (kubernetes' endpointSliceTracker): a sync that would act on a cache older than its own
 * last writes must wait, or it would create duplicate slices or undo its own updates.
 * `expectWrite`/`expectDeletion` after a successful write; `isStale` at the start of a sync
 * (satisfied expectations are dropped there); `forget` when the informer reports the slice
 * deleted. Entries older than `ttlMs` are dropped so a lost event cannot block a service
 * forever. resourceVersions are compared as numbers when both are numeric (mk8s maps them to
 * etcd revisions), otherwise only equality counts.
 */
import type { EndpointSlice } from '@mk8s/shared';

type Expectation = { rv: string; at: number } | { deleted: true; at: number };

export function isAtLeast(cached: string | undefined, written: string): boolean {
  if (cached === undefined) return false;
  if (cached === written) return true;
  if (/^\d+$/.test(cached) && /^\d+$/.test(written)) return BigInt(cached) >= BigInt(written);
  return false;
}

export class SliceTracker {
  private readonly byService = new Map<string, Map<string, Expectation>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 30_000,
  ) {}

  private entries(serviceKey: string): Map<string, Expectation> {
    let m = this.byService.get(serviceKey);
    if (!m) this.byService.set(serviceKey, (m = new Map()));
    return m;
  }

  expectWrite(serviceKey: string, slice: EndpointSlice): void {
    if (slice.metadata.name && slice.metadata.resourceVersion) this.entries(serviceKey).set(slice.metadata.name, { rv: slice.metadata.resourceVersion, at: this.now() });
  }

  expectDeletion(serviceKey: string, name: string): void {
    this.entries(serviceKey).set(name, { deleted: true, at: this.now() });
  }

  forget(serviceKey: string, name: string): void {
    this.byService.get(serviceKey)?.delete(name);
  }

  /** True while `cached` (the informer's slices of the service) lacks one of our writes. */
  isStale(serviceKey: string, cached: EndpointSlice[]): boolean {
    const m = this.byService.get(serviceKey);
    if (!m) return false;
    const byName = new Map(cached.map((s) => [s.metadata.name ?? '', s]));
    let stale = false;
    for (const [name, e] of m) {
      const seen = 'deleted' in e ? !byName.has(name) : isAtLeast(byName.get(name)?.metadata.resourceVersion, e.rv);
      if (seen || this.now() - e.at > this.ttlMs) m.delete(name);
      else stale = true;
    }
    if (m.size === 0) this.byService.delete(serviceKey);
    return stale;
  }

  /** Drops everything known about a service (it is gone). */
  forgetService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }
}
