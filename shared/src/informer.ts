/**
 * Informer: a local cache of one resource kept current by list-then-watch (client-go's
 * reflector + shared informer, in one small class).
 * - Lists (paginated), replaces the cache, then watches from the list's resourceVersion with
 *   bookmarks. A watch that ends is reopened from the last resourceVersion seen; a 410 Expired
 *   (ERROR event or error) leads to a relist, whose differences reach handlers as
 *   adds/updates/deletes. Other failures relist after a capped exponential backoff.
 * - Handlers run synchronously, in event order, on the informer's own callback; they must be
 *   fast (enqueue a key) and must not throw (a throw is caught and logged).
 * - Cached objects are shared: never mutate them. `hasSynced()` turns true after the first list.
 * Time is injectable: `sleep` for backoff, `clock` for the optional periodic resync.
 */
import type { Logger } from 'pino';
import { ApiError, isGone } from './api/errors.js';
import type { KubeObject, Status, WatchEvent } from './api/meta.js';
import { apiVersionOf } from './api/resources.js';
import type { WatchHandle } from './client/rest.js';
import type { ResourceApi } from './client/types.js';
import { Backoff } from './backoff.js';
import { realClock, realSleep, type Clock, type Sleep, type TimerHandle } from './clock.js';
import { keyFor } from './keys.js';
import { silentLogger } from './log.js';
import { NAMESPACE_INDEX, namespaceIndexFunc, Store, type IndexFunc } from './store.js';

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  logger?: Logger;
  /** backoff after failed list/watch calls; default 800 ms doubling to 30 s */
  backoff?: { initialMs: number; maxMs: number };
  sleep?: Sleep;
  clock?: Clock;
  /** if set, every resyncMs each cached object is passed to onUpdate(obj, obj) */
  resyncMs?: number;
  /** list page size; default 500 */
  pageSize?: number;
  /** server-side watch timeout; default a random 300-600 s */
  watchTimeoutSeconds?: number;
}

export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

type WatchOutcome = { outcome: 'ended' | 'expired' | 'stopped'; events: number };

export class Informer<T extends KubeObject> {
  private readonly store = new Store<T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly sleep: Sleep;
  private readonly clock: Clock;
  private readonly abort = new AbortController();
  private started = false;
  private stopped = false;
  private synced = false;
  private lastRv = '';
  private runPromise: Promise<void> = Promise.resolve();
  private currentWatch: WatchHandle | undefined;
  private listing = false;
  private resyncTimer: TimerHandle | undefined;
  private syncWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];

  constructor(
    readonly api: ResourceApi<T>,
    private readonly opts: InformerOptions = {},
  ) {
    this.log = (opts.logger ?? silentLogger()).child({ informer: api.type.plural, namespace: opts.namespace });
    this.backoff = new Backoff({ initialMs: opts.backoff?.initialMs ?? 800, maxMs: opts.backoff?.maxMs ?? 30_000 });
    this.sleep = opts.sleep ?? realSleep;
    this.clock = opts.clock ?? realClock;
    if (api.type.namespaced) this.store.addIndex(NAMESPACE_INDEX, namespaceIndexFunc);
  }

  /** Registers handlers; objects already cached are passed to its onAdd at once. */
  addHandlers(h: InformerHandlers<T>): void {
    this.handlers.push(h);
    for (const obj of this.store.list()) this.call(h, 'onAdd', () => h.onAdd?.(obj));
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.runPromise = this.run();
    this.scheduleResync();
  }

  /**
   * Stops watching; resolves when the loop has ended (at once if a list call is in flight: its
   * result is then dropped). Pending waitForSync calls reject.
   */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.abort.abort();
      this.currentWatch?.stop();
      if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
      for (const w of this.syncWaiters.splice(0)) w.reject(new Error(`informer for ${this.api.type.plural} stopped before it synced`));
    }
    return this.listing ? Promise.resolve() : this.runPromise;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error(`informer for ${this.api.type.plural} is stopped`));
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(keyFor(this.api.type.namespaced ? namespace : undefined, name));
  }

  getByKey(key: string): T | undefined {
    return this.store.get(key);
  }

  /** Every cached object, or those of one namespace. */
  list(namespace?: string): T[] {
    if (namespace !== undefined && this.api.type.namespaced) return this.store.byIndex(NAMESPACE_INDEX, namespace);
    return this.store.list();
  }

  listKeys(): string[] {
    return this.store.keys();
  }

  addIndex(name: string, fn: IndexFunc<T>): void {
    this.store.addIndex(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.store.byIndex(name, value);
  }

  /** The resourceVersion of the last list, event or bookmark seen ('' before the first list). */
  lastSyncResourceVersion(): string {
    return this.lastRv;
  }

  // ---- the loop ----

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.listAndReplace();
        if (this.stopped) break;
        await this.watchUntilExpired();
      } catch (err) {
        if (this.stopped) break;
        const delayMs = this.backoff.next();
        this.log.warn({ err, delayMs }, 'list/watch failed; relisting after backoff');
        await this.sleep(delayMs, this.abort.signal);
      }
    }
  }

  private async listAndReplace(): Promise<void> {
    const base = { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector };
    const items: T[] = [];
    let rv = '';
    let cont: string | undefined;
    let limit: number | undefined = this.opts.pageSize ?? 500;
    do {
      try {
        this.listing = true;
        const page = await this.api.list(this.opts.namespace, { ...base, limit, continue: cont }).finally(() => (this.listing = false));
        items.push(...page.items);
        rv = page.metadata.resourceVersion ?? '';
        cont = page.metadata.continue || undefined;
      } catch (err) {
        if (!cont || !isGone(err)) throw err;
        // the continue token expired: start over with one unpaginated list
        items.length = 0;
        cont = undefined;
        limit = undefined;
        this.listing = true;
        const page = await this.api.list(this.opts.namespace, base).finally(() => (this.listing = false));
        items.push(...page.items);
        rv = page.metadata.resourceVersion ?? '';
      }
    } while (cont && !this.stopped);
    if (this.stopped) return;
    for (const o of items) this.fillTypeMeta(o);
    const diff = this.store.replace(items);
    this.lastRv = rv;
    for (const o of diff.added) this.dispatch('onAdd', (h) => h.onAdd?.(o));
    for (const [oldObj, newObj] of diff.updated) this.dispatch('onUpdate', (h) => h.onUpdate?.(oldObj, newObj));
    for (const o of diff.deleted) this.dispatch('onDelete', (h) => h.onDelete?.(o));
    this.log.debug({ count: items.length, resourceVersion: rv }, 'listed');
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w.resolve();
    }
  }

  /** Watches (reopening ended watches) until a 410 asks for a relist or the informer stops. */
  private async watchUntilExpired(): Promise<void> {
    for (;;) {
      const startedAt = this.clock.now();
      const { outcome, events } = await this.watchOnce();
      if (outcome === 'stopped' || this.stopped) return;
      // a watch that ends at once without events must not spin (client-go's "very short watch")
      if (events === 0 && this.clock.now() - startedAt < 1000) await this.sleep(this.backoff.next(), this.abort.signal);
      else this.backoff.reset();
      if (this.stopped) return;
      if (outcome === 'expired') {
        this.log.info({ resourceVersion: this.lastRv }, 'watch expired; relisting');
        return;
      }
      this.log.debug({ resourceVersion: this.lastRv, events }, 'watch ended; rewatching');
    }
  }

  private watchOnce(): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve, reject) => {
      let events = 0;
      let settled = false;
      let handle: WatchHandle | undefined;
      let stopWhenOpen = false;
      const finish = (f: () => void): void => {
        if (settled) return;
        settled = true;
        this.currentWatch = undefined;
        if (handle) handle.stop();
        else stopWhenOpen = true;
        f();
      };
      const onEvent = (ev: WatchEvent<T>): void => {
        if (settled || this.stopped) return;
        if (ev.type === 'ERROR') {
          const st = ev.object as unknown as Partial<Status>;
          const err = ApiError.fromStatus(st);
          finish(() => (isGone(err) ? resolve({ outcome: 'expired', events }) : reject(err)));
          return;
        }
        events++;
        this.handleEvent(ev);
      };
      try {
        handle = this.api.watch(
          this.opts.namespace,
          {
            resourceVersion: this.lastRv || undefined,
            allowWatchBookmarks: true,
            labelSelector: this.opts.labelSelector,
            fieldSelector: this.opts.fieldSelector,
            timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
          },
          onEvent,
        );
      } catch (err) {
        reject(err as Error);
        return;
      }
      if (stopWhenOpen) handle.stop();
      if (settled) return;
      this.currentWatch = handle;
      if (this.stopped) handle.stop();
      handle.done.then(
        () => finish(() => resolve({ outcome: this.stopped ? 'stopped' : 'ended', events })),
        (err: unknown) =>
          finish(() => {
            if (this.stopped) resolve({ outcome: 'stopped', events });
            else if (isGone(err)) resolve({ outcome: 'expired', events });
            else reject(err as Error);
          }),
      );
    });
  }

  private handleEvent(ev: WatchEvent<T>): void {
    const obj = ev.object;
    const rv = obj?.metadata?.resourceVersion;
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED': {
        this.fillTypeMeta(obj);
        const old = this.store.upsert(obj);
        if (old) this.dispatch('onUpdate', (h) => h.onUpdate?.(old, obj));
        else this.dispatch('onAdd', (h) => h.onAdd?.(obj));
        break;
      }
      case 'DELETED': {
        this.fillTypeMeta(obj);
        this.store.delete(obj);
        this.dispatch('onDelete', (h) => h.onDelete?.(obj));
        break;
      }
      case 'BOOKMARK':
        break;
      default:
        this.log.warn({ type: ev.type }, 'unknown watch event type');
        return;
    }
    if (rv) this.lastRv = rv;
  }

  /** List items come without kind/apiVersion; fill them so consumers can rely on them. */
  private fillTypeMeta(o: T): void {
    o.kind ??= this.api.type.kind;
    o.apiVersion ??= apiVersionOf(this.api.type);
  }

  private dispatch(what: keyof InformerHandlers<T>, f: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) this.call(h, what, () => f(h));
  }

  private call(_h: InformerHandlers<T>, what: string, f: () => void): void {
    try {
      f();
    } catch (err) {
      this.log.error({ err, handler: what }, 'informer handler threw');
    }
  }

  private scheduleResync(): void {
    const every = this.opts.resyncMs;
    if (!every || every <= 0 || this.stopped) return;
    this.resyncTimer = this.clock.setTimeout(() => {
      if (this.stopped) return;
      if (this.synced) for (const o of this.store.list()) this.dispatch('onUpdate', (h) => h.onUpdate?.(o, o));
      this.scheduleResync();
    }, every);
  }
}
