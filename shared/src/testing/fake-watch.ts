/**
 * The watch side of FakeClient: an event history per resource (so a watch from a
 * resourceVersion sees every change after it), open watches filtered by namespace and
 * selectors (an object that stops matching is sent as DELETED), and test controls to end
 * watches, send ERROR events, send bookmarks and compact the history (-> 410 Expired).
 * Events reach a watcher asynchronously (microtasks), in order; `stop()` drops undelivered ones.
 */
import type { KubeObject, Status, WatchEvent } from '../api/meta.js';
import { apiVersionOf, type ResourceType } from '../api/resources.js';
import type { WatchHandle, WatchOptions } from '../client/rest.js';
import { parseFieldSelector, type FieldSelector } from '../field-selector.js';
import { parseSelector, type Selector } from '../label-selector.js';
import { clone, objectFields } from './fake-helpers.js';

export interface HistoryEntry {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  obj: KubeObject;
  old?: KubeObject;
}

interface OpenWatch {
  type: ResourceType;
  namespace: string | undefined;
  label: Selector;
  field: FieldSelector;
  bookmarks: boolean;
  onEvent: (ev: WatchEvent<KubeObject>) => void;
  closed: boolean;
  finish: () => void;
  fail: (err: unknown) => void;
}

const sameResource = (a: ResourceType, b: ResourceType): boolean => a.group === b.group && a.plural === b.plural;

export const expiredStatus = (message = 'too old resource version'): Status => ({
  apiVersion: 'v1',
  kind: 'Status',
  metadata: {},
  status: 'Failure',
  message,
  reason: 'Expired',
  code: 410,
});

export class FakeWatches {
  private readonly open = new Set<OpenWatch>();
  private readonly history = new Map<string, HistoryEntry[]>();
  private compactedRv = 0;

  constructor(
    private readonly objects: (t: ResourceType) => Map<string, KubeObject>,
    private readonly currentRv: () => number,
  ) {}

  /** Opens a watch; the caller has already recorded the action. */
  start(type: ResourceType, namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<KubeObject>) => void): WatchHandle {
    let finish!: () => void;
    let fail!: (err: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const w: OpenWatch = {
      type,
      namespace: type.namespaced ? namespace : undefined,
      label: parseSelector(opts.labelSelector ?? ''),
      field: parseFieldSelector(opts.fieldSelector ?? ''),
      bookmarks: opts.allowWatchBookmarks ?? false,
      onEvent,
      closed: false,
      finish,
      fail,
    };
    const from = opts.resourceVersion;
    if (from && from !== '0') {
      const n = Number(from);
      if (!Number.isFinite(n) || n < this.compactedRv) {
        this.send(w, { type: 'ERROR', object: expiredStatus(`too old resource version: ${from} (${this.compactedRv})`) as unknown as KubeObject });
        this.end(w);
        return this.handle(w, done);
      }
      for (const e of this.entries(type)) if (e.rv > n) this.deliver(w, e);
    } else {
      const current = [...this.objects(type).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      for (const [, o] of current) if (this.matches(w, o)) this.send(w, { type: 'ADDED', object: o });
    }
    this.open.add(w);
    return this.handle(w, done);
  }

  emit(type: ResourceType, e: HistoryEntry): void {
    this.entries(type).push(e);
    for (const w of this.open) if (sameResource(w.type, type)) this.deliver(w, e);
  }

  /** Number of open watches, optionally of one type. */
  count(type?: ResourceType): number {
    return [...this.open].filter((w) => !type || sameResource(w.type, type)).length;
  }

  /** Ends open watches cleanly (as a server timeout does), after events already sent. */
  endAll(type?: ResourceType): void {
    for (const w of [...this.open]) if (!type || sameResource(w.type, type)) this.end(w);
  }

  /** Sends an ERROR event (default 410 Expired) to open watches, then ends them. */
  sendError(type?: ResourceType, status: Status = expiredStatus()): void {
    for (const w of [...this.open]) {
      if (type && !sameResource(w.type, type)) continue;
      this.send(w, { type: 'ERROR', object: status as unknown as KubeObject });
      this.end(w);
    }
  }

  /** Sends a BOOKMARK at the current resourceVersion to watches that asked for bookmarks. */
  sendBookmark(type?: ResourceType): void {
    for (const w of this.open) {
      if (!w.bookmarks || (type && !sameResource(w.type, type))) continue;
      this.send(w, {
        type: 'BOOKMARK',
        object: { apiVersion: apiVersionOf(w.type), kind: w.type.kind, metadata: { resourceVersion: String(this.currentRv()) } },
      });
    }
  }

  /** Forgets history: watches from an older resourceVersion get 410 Expired. */
  compact(): void {
    this.compactedRv = this.currentRv();
    this.history.clear();
  }

  private entries(type: ResourceType): HistoryEntry[] {
    const k = `${type.group}/${type.plural}`;
    let h = this.history.get(k);
    if (!h) this.history.set(k, (h = []));
    return h;
  }

  private matches(w: OpenWatch, o: KubeObject): boolean {
    if (w.namespace && o.metadata.namespace !== w.namespace) return false;
    return w.label.matches(o.metadata.labels) && w.field.matches(objectFields(w.type, o));
  }

  private deliver(w: OpenWatch, e: HistoryEntry): void {
    const now = this.matches(w, e.obj);
    const before = e.old ? this.matches(w, e.old) : false;
    if (e.type === 'DELETED') {
      if (now) this.send(w, { type: 'DELETED', object: e.obj });
    } else if (e.type === 'ADDED') {
      if (now) this.send(w, { type: 'ADDED', object: e.obj });
    } else if (now) {
      this.send(w, { type: before ? 'MODIFIED' : 'ADDED', object: e.obj });
    } else if (before) {
      this.send(w, { type: 'DELETED', object: e.obj });
    }
  }

  private send(w: OpenWatch, ev: WatchEvent<KubeObject>): void {
    const copy = clone(ev);
    queueMicrotask(() => {
      if (w.closed) return;
      try {
        w.onEvent(copy);
      } catch (err) {
        // like RestClient: a throwing handler ends the watch with that error
        w.closed = true;
        this.open.delete(w);
        w.fail(err);
      }
    });
  }

  private end(w: OpenWatch): void {
    this.open.delete(w);
    queueMicrotask(() => {
      w.closed = true;
      w.finish();
    });
  }

  private handle(w: OpenWatch, done: Promise<void>): WatchHandle {
    return {
      stop: () => {
        w.closed = true;
        this.open.delete(w);
        w.finish();
      },
      done,
    };
  }
}
