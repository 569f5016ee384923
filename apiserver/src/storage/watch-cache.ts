/**
 * One etcd watch per resource, fanned out to every API watcher in this process. The cache
 * holds the current objects of its resource (so namespace checks and allocators read it
 * without a round trip) and a bounded window of recent events, so a watch that starts from
 * a recent resourceVersion is replayed from memory. A watch older than the window is served
 * by a direct etcd watch (which etcd refuses with "compacted" once history is gone: 410).
 *
 * Events reach subscribers in revision order, each with the object before the change, so
 * selector transitions (an object that stops matching) can be turned into DELETED events.
 */
import type { Etcd3, Watcher } from 'etcd3';
import type { KubeObject, Logger } from '@mk8s/shared';
import { decode, type EtcdStore } from './etcd-store.js';

export interface CacheEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rev: number;
  key: string;
  /** the object after the change; for DELETED the last state, with the deletion revision */
  obj: KubeObject;
  /** the object before the change (absent for ADDED) */
  prev?: KubeObject;
}

export type Listener = (ev: CacheEvent) => void;

export interface Subscription {
  cancel(): void;
}

export interface WatchCacheOptions {
  /** events kept in memory for replay */
  capacity?: number;
  logger: Logger;
}

export class WatchCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly events: CacheEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly capacity: number;
  private readonly log: Logger;
  private watcher: Watcher | undefined;
  /** every event with rev > floor is in `events` (or was delivered before a subscriber joined) */
  private floor = 0;
  private rev = 0;
  private ready: Promise<void> | undefined;
  private loaded = false;
  private waiters: { rev: number; resolve: () => void }[] = [];
  private stopped = false;

  constructor(
    private readonly etcd: Etcd3,
    private readonly store: EtcdStore,
    readonly prefix: string,
    opts: WatchCacheOptions,
  ) {
    this.capacity = opts.capacity ?? 20_000;
    this.log = opts.logger;
  }

  /** Loads the current objects and starts the etcd watch. Safe to call more than once. */
  start(): Promise<void> {
    this.ready ??= this.load();
    return this.ready;
  }

  private async load(): Promise<void> {
    const { items, revision } = await this.store.list(this.prefix);
    this.objects.clear();
    for (const it of items) this.objects.set(it.key, it.obj);
    this.rev = revision;
    this.floor = revision;
    await this.watchFrom(revision);
    this.loaded = true;
  }

  /** True once the objects are loaded and the watch runs (false again during a reset). */
  get isReady(): boolean {
    return this.loaded;
  }

  private async watchFrom(revision: number): Promise<void> {
    const w = await this.etcd
      .watch()
      .prefix(this.prefix)
      .withPreviousKV()
      .startRevision(String(revision + 1))
      .create();
    this.watcher = w;
    w.on('data', (res) => {
      for (const e of res.events) {
        const key = e.kv.key.toString('utf8');
        const modRev = Number(e.kv.mod_revision);
        const prev = e.prev_kv && e.prev_kv.value.length ? this.previous(key, e.prev_kv.value, e.prev_kv.mod_revision) : undefined;
        if (e.type === 'Put') {
          const obj = decode(key, e.kv.value, modRev).obj;
          this.apply({ type: prev ? 'MODIFIED' : 'ADDED', rev: modRev, key, obj, prev });
        } else {
          const last = prev ?? this.objects.get(key);
          if (!last) continue;
          const obj = structuredClone(last);
          obj.metadata.resourceVersion = String(modRev);
          this.apply({ type: 'DELETED', rev: modRev, key, obj, prev });
        }
      }
      const headerRev = Number(res.header.revision);
      if (headerRev > this.rev) this.advance(headerRev);
    });
    w.on('error', (err) => {
      // etcd canceled this watch itself (compaction): it must not be canceled again
      if (this.watcher === w) this.watcher = undefined;
      if (this.stopped) return;
      this.log.warn({ err: err.message, prefix: this.prefix }, 'watch cache lost its etcd watch; reloading');
      this.reset();
    });
  }

  /** The object before a change: the cached one when it is that revision, else decoded. */
  private previous(key: string, value: Buffer, modRevision: string): KubeObject {
    const cached = this.objects.get(key);
    if (cached?.metadata.resourceVersion === modRevision) return cached;
    return decode(key, value, modRevision).obj;
  }

  /** Drops state and reloads: subscribers are told to relist (410). */
  private reset(): void {
    this.watcher?.removeAllListeners();
    void this.watcher?.cancel().catch(() => undefined);
    for (const l of [...this.listeners]) l({ type: 'DELETED', rev: -1, key: '', obj: { metadata: {} } });
    this.listeners.clear();
    this.events.length = 0;
    this.ready = undefined;
    this.loaded = false;
    setTimeout(() => {
      if (!this.stopped) this.start().catch((err: Error) => this.log.error({ err: err.message }, 'watch cache reload failed'));
    }, 500);
  }

  private apply(ev: CacheEvent): void {
    if (ev.type === 'DELETED') this.objects.delete(ev.key);
    else this.objects.set(ev.key, ev.obj);
    this.events.push(ev);
    if (this.events.length > this.capacity) {
      const dropped = this.events.splice(0, this.events.length - this.capacity);
      this.floor = dropped[dropped.length - 1]!.rev;
    }
    for (const l of this.listeners) l(ev);
    this.advance(ev.rev);
  }

  private advance(rev: number): void {
    if (rev > this.rev) this.rev = rev;
    if (!this.waiters.length) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.rev <= this.rev ? w.resolve() : still.push(w));
    this.waiters = still;
  }

  /**
   * History up to `rev` is gone from etcd: watches from before it must relist (410), as they
   * would have to against etcd itself.
   */
  compactedTo(rev: number): void {
    if (rev <= this.floor) return;
    this.floor = rev;
    let drop = 0;
    while (drop < this.events.length && this.events[drop]!.rev <= rev) drop++;
    this.events.splice(0, drop);
  }

  /** The revision the cache has caught up to. */
  get revision(): number {
    return this.rev;
  }

  /**
   * Brings the cache up to etcd revision `rev` for reads that must be consistent. When
   * nothing under this prefix changed since the cache's revision (no key modified, same
   * count: so nothing deleted either) the cache already holds the state at `rev`, even though
   * its watch has had no reason to report `rev`; otherwise wait for the watch to deliver.
   */
  async syncTo(rev: number, timeoutMs = 3000): Promise<boolean> {
    if (rev <= this.rev) return true;
    const base = this.rev;
    const size = this.objects.size;
    const { total, changed } = await this.store.countSince(this.prefix, base, rev);
    if (this.rev === base && changed === 0 && total === size) {
      this.advance(rev);
      return true;
    }
    return this.waitFor(rev, timeoutMs);
  }

  /** Resolves once the cache has seen `rev` (or after `timeoutMs`). */
  waitFor(rev: number, timeoutMs = 3000): Promise<boolean> {
    if (rev <= this.rev) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({ rev, resolve: () => (clearTimeout(t), resolve(true)) });
    });
  }

  /** Current objects whose key starts with `prefix` (the whole resource when omitted). */
  list(prefix?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [k, v] of this.objects) if (!prefix || k.startsWith(prefix)) out.push(v);
    return out;
  }

  /** Current objects under `prefix`, ordered by key as etcd would return them. */
  sortedList(prefix: string): KubeObject[] {
    const keys: string[] = [];
    for (const k of this.objects.keys()) if (k.startsWith(prefix)) keys.push(k);
    keys.sort();
    return keys.map((k) => this.objects.get(k)!);
  }

  getByKey(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  /**
   * Delivers every event after `fromRev`, then live ones. Returns undefined when `fromRev`
   * is older than the replay window (the caller falls back to a direct etcd watch).
   * A listener receiving an event with rev -1 must end its watch with 410 (cache reset).
   */
  subscribe(fromRev: number, listener: Listener): Subscription | undefined {
    if (fromRev < this.floor) return undefined;
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid]!.rev <= fromRev) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.events.length; i++) listener(this.events[i]!);
    const wrapped: Listener = (ev) => {
      if (ev.rev === -1 || ev.rev > fromRev) listener(ev);
    };
    this.listeners.add(wrapped);
    return { cancel: () => this.listeners.delete(wrapped) };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    await this.watcher?.cancel().catch(() => undefined);
  }
}

/**
 * A watch served straight from etcd, for a start revision older than the cache window.
 * Calls `onError` with the message when etcd refuses (compacted) or the watch breaks.
 */
export async function directWatch(
  etcd: Etcd3,
  prefix: string,
  fromRev: number,
  listener: Listener,
  onError: (message: string) => void,
): Promise<Subscription> {
  const w = await etcd.watch().prefix(prefix).withPreviousKV().startRevision(String(fromRev + 1)).create();
  w.on('data', (res) => {
    for (const e of res.events) {
      const key = e.kv.key.toString('utf8');
      const modRev = Number(e.kv.mod_revision);
      const prev = e.prev_kv && e.prev_kv.value.length ? decode(key, e.prev_kv.value, e.prev_kv.mod_revision).obj : undefined;
      if (e.type === 'Put') listener({ type: prev ? 'MODIFIED' : 'ADDED', rev: modRev, key, obj: decode(key, e.kv.value, modRev).obj, prev });
      else if (prev) {
        const obj = structuredClone(prev);
        obj.metadata.resourceVersion = String(modRev);
        listener({ type: 'DELETED', rev: modRev, key, obj, prev });
      }
    }
  });
  // 'error' means etcd canceled the watch itself (compaction): canceling it again would make
  // etcd confirm a cancel the client library has already forgotten
  let canceledByEtcd = false;
  w.on('error', (err) => {
    canceledByEtcd = true;
    onError(err.message);
  });
  return { cancel: () => void (canceledByEtcd ? undefined : w.cancel().catch(() => undefined)) };
}
