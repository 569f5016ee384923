/**
 * A guard around one failure of the etcd3 client library. Its watch stream handler throws -
 * from inside a gRPC 'data' listener, so the throw is an uncaught exception that ends the
 * process - when etcd sends a response for a watch id the library no longer tracks. That
 * happens when a watch etcd already canceled (compaction) is canceled again, or when a cancel
 * races a compaction: etcd then confirms a cancel the library has forgotten. Such a response
 * concerns no live watcher, so it is dropped (and counted) instead of thrown. The lookup is
 * the library's own (`watchers`, `id`); nothing else of its behaviour changes.
 */
import { WatchManager } from 'etcd3/lib/watch.js';

interface WatchManagerInternals {
  watchers: { id: string | null }[];
  handleResponse(res: { watch_id: string }): void;
}

let installed = false;
let dropped = 0;

/** Responses for unknown watches dropped so far. */
export function droppedWatchResponses(): number {
  return dropped;
}

export function guardEtcdWatchResponses(): void {
  if (installed) return;
  installed = true;
  const proto = WatchManager.prototype as unknown as WatchManagerInternals;
  const original = proto.handleResponse;
  proto.handleResponse = function (this: WatchManagerInternals, res) {
    if (!this.watchers.some((w) => w.id === res.watch_id)) {
      dropped++;
      return;
    }
    original.call(this, res);
  };
}
