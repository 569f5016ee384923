/**
 * The worker loop every controller uses: `newQueue(ctx, name)` makes a rate-limited work queue
 * with the process's Prometheus metrics; `startWorkers` waits until every informer of the
 * process has synced (a controller must never act on a half-filled cache), then runs
 * `ctx.options.concurrentSyncs` workers calling `sync(key)` until `ctx.signal` aborts, when the
 * queue is shut down. A thrown error requeues the key with per-key backoff (client-go's
 * processNextWorkItem); success forgets the backoff. Call it from `start()`: it does not block.
 */
import { runWorkers, WorkQueue } from '@mk8s/shared';
import { workQueueMetrics } from '@mk8s/shared/metrics';
import type { ControllerContext } from './context.js';

export function newQueue(ctx: ControllerContext, name: string): WorkQueue<string> {
  const queue = new WorkQueue<string>({ name, metrics: workQueueMetrics(ctx.metrics) });
  if (ctx.signal.aborted) queue.shutDown();
  else ctx.signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  return queue;
}

export function startWorkers(ctx: ControllerContext, queue: WorkQueue<string>, sync: (key: string) => Promise<void>, workers = ctx.options.concurrentSyncs): Promise<void> {
  const log = ctx.logger.child({ queue: queue.name });
  const run = async (): Promise<void> => {
    try {
      await ctx.informers.waitForSync();
    } catch (err) {
      if (!ctx.signal.aborted) log.error({ err }, 'informers did not sync; controller not started');
      return;
    }
    if (ctx.signal.aborted) return;
    log.info({ workers }, 'caches synced; starting workers');
    await runWorkers(queue, workers, sync, log);
  };
  return run().catch((err: unknown) => log.error({ err }, 'workers failed'));
}
