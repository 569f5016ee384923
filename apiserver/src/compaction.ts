/**
 * Periodic etcd compaction, as the Kubernetes apiserver does it: every interval, compact to
 * the revision seen at the previous tick, so at least one interval of history stays
 * available to watchers. Watch caches are told, so watches from before it get 410.
 */
import type { Logger } from '@mk8s/shared';
import type { EtcdStore } from './storage/etcd-store.js';

export function startCompaction(store: EtcdStore, intervalMs: number, onCompacted: (rev: number) => void, log: Logger): () => void {
  let previous = 0;
  const tick = async () => {
    try {
      const current = await store.currentRevision();
      if (previous > 0) {
        await store.compact(previous);
        onCompacted(previous);
        log.debug({ revision: previous }, 'etcd compacted');
      }
      previous = current;
    } catch (err) {
      if (!/compacted/i.test((err as Error).message)) log.warn({ err: (err as Error).message }, 'etcd compaction failed');
      else previous = 0;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
