/**
 * Watch streams: newline-delimited JSON events over a chunked 200 response, fed from the
 * resource's watch cache (or, for a start revision older than the cache window, straight
 * from etcd). Without a resourceVersion (or with "0") the stream starts with the current
 * objects as ADDED. Objects that start or stop matching the selectors arrive as ADDED or
 * DELETED. A start revision that is no longer available ends the stream with an in-stream
 * 410 Expired ERROR event, on which clients relist.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Etcd3 } from 'etcd3';
import { ApiError, type KubeObject } from '@mk8s/shared';
import type { Registry } from '../registry/registry.js';
import type { ResourceDef } from '../registry/resource-def.js';
import { selectionPredicate } from '../registry/selection.js';
import { directWatch, type CacheEvent, type Subscription } from '../storage/watch-cache.js';
import { jsonOf } from './json-cache.js';

export interface WatchParams {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  /** turns each object into what goes on the wire (a one-row Table for kubectl get -w) */
  transform?: (obj: KubeObject) => unknown;
}

export interface WatchServerOptions {
  registry: Registry;
  etcd: Etcd3;
  bookmarkIntervalMs: number;
  defaultTimeoutSeconds: number;
  /** a watcher further behind than this many bytes is dropped */
  maxBufferedBytes: number;
  onOpen?: () => void;
  onClose?: () => void;
}

type WireType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** The event a watcher with `match` sees for a change, or undefined if none. */
export function eventFor(ev: CacheEvent, match: ((o: KubeObject) => boolean) | undefined): WireType | undefined {
  if (!match) return ev.type;
  const now = ev.type !== 'DELETED' && match(ev.obj);
  const before = ev.prev !== undefined && match(ev.prev);
  if (ev.type === 'DELETED') return before ? 'DELETED' : undefined;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}

export async function serveWatch(
  req: FastifyRequest,
  reply: FastifyReply,
  def: ResourceDef,
  namespace: string | undefined,
  p: WatchParams,
  o: WatchServerOptions,
): Promise<void> {
  const match = selectionPredicate(def, p.labelSelector, p.fieldSelector);
  let fromRev: number | undefined;
  if (p.resourceVersion && p.resourceVersion !== '0') {
    fromRev = Number(p.resourceVersion);
    if (!Number.isInteger(fromRev) || fromRev < 0) throw new ApiError(400, 'BadRequest', `invalid resource version: ${p.resourceVersion}`);
  }
  const cache = await o.registry.cache(def);
  const prefix = o.registry.store.collectionPrefix(def.storageName, def.namespaced ? namespace : undefined);
  if (fromRev === undefined && p.resourceVersion !== '0') {
    // A consistent start: catch the cache up with etcd's current revision first.
    await cache.syncTo(await o.registry.store.currentRevision());
  }

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  o.onOpen?.();

  let closed = false;
  let lastRev = fromRev ?? cache.revision;
  let sub: Subscription | undefined;
  let direct = false;
  const timers: NodeJS.Timeout[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    sub?.cancel();
    for (const t of timers) clearTimeout(t), clearInterval(t);
    o.onClose?.();
    res.end();
  };
  const write = (line: string) => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > o.maxBufferedBytes) {
      req.log.warn({ resource: def.plural }, 'watcher too slow; closing');
      close();
    }
  };
  const send = (type: string, obj: KubeObject) => {
    if (p.transform) write(`{"type":"${type}","object":${JSON.stringify(p.transform(obj))}}\n`);
    else write(`{"type":"${type}","object":${jsonOf(obj)}}\n`);
  };
  const expired = (message: string) => {
    const status = new ApiError(410, 'Expired', message).toStatus();
    write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    close();
  };
  const onEvent = (ev: CacheEvent) => {
    if (ev.rev === -1) return expired('the watch cache was reset; please relist');
    const type = eventFor(ev, match);
    lastRev = Math.max(lastRev, ev.rev);
    if (type) send(type, ev.obj);
  };

  req.raw.on('close', close);
  res.on('close', close);
  res.on('error', close);
  const timeout = (p.timeoutSeconds && p.timeoutSeconds > 0 ? p.timeoutSeconds : o.defaultTimeoutSeconds) * 1000;
  timers.push(setTimeout(close, timeout));
  if (p.allowWatchBookmarks) {
    const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
    timers.push(
      setInterval(() => {
        // Every cached event up to cache.revision has been offered to this watcher already.
        const rv = direct ? lastRev : Math.max(lastRev, cache.revision);
        write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: def.kind, apiVersion, metadata: { resourceVersion: String(rv) } } })}\n`);
      }, o.bookmarkIntervalMs),
    );
  }

  if (fromRev === undefined) {
    // Snapshot and subscribe in one synchronous step: no event can fall between them.
    const snapshotRev = cache.revision;
    for (const obj of cache.list(prefix)) if (!match || match(obj)) send('ADDED', obj);
    lastRev = snapshotRev;
    sub = cache.subscribe(snapshotRev, (ev) => (ev.key.startsWith(prefix) || ev.rev === -1 ? onEvent(ev) : undefined));
    return;
  }
  sub = cache.subscribe(fromRev, (ev) => (ev.key.startsWith(prefix) || ev.rev === -1 ? onEvent(ev) : undefined));
  if (sub) return;
  direct = true;
  try {
    sub = await directWatch(o.etcd, prefix, fromRev, onEvent, (message) =>
      expired(/compacted/i.test(message) ? `too old resource version: ${fromRev} (${cache.revision})` : message),
    );
    if (closed) sub.cancel();
  } catch (err) {
    expired(`too old resource version: ${fromRev} (${(err as Error).message})`);
  }
}
