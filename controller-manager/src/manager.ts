/**
 * ControllerManager: runs the enabled controllers for as long as a signal allows. `run(signal)`
 * builds one `ControllerContext` (one informer factory, so informers are shared), calls every
 * controller's `start`, then starts the informers; controllers wait for the caches to sync
 * before working (see workers.ts). When `signal` aborts, informers stop and `run` resolves.
 * A controller whose `start` throws is logged and skipped; the others keep running.
 */
import type { ApiClient, EventRecorder, Logger } from '@mk8s/shared';
import type { Registry } from 'prom-client';
import type { ControllerContext, ControllerDescriptor, ControllerOptions } from './context.js';
import { InformerFactory } from './informer-factory.js';

export interface ManagerDeps {
  client: ApiClient;
  recorder: EventRecorder;
  logger: Logger;
  metrics: Registry;
  options: ControllerOptions;
  controllers: ControllerDescriptor[];
}

export class ControllerManager {
  private informers: InformerFactory | undefined;

  constructor(private readonly deps: ManagerDeps) {}

  /** True once the informers of a running manager have synced. */
  hasSynced(): boolean {
    return this.informers?.hasSynced() ?? false;
  }

  async run(signal: AbortSignal): Promise<void> {
    const { logger } = this.deps;
    const informers = new InformerFactory(this.deps.client, logger);
    this.informers = informers;
    for (const c of this.deps.controllers) {
      if (signal.aborted) break;
      const ctx: ControllerContext = {
        client: this.deps.client,
        informers,
        recorder: this.deps.recorder,
        logger: logger.child({ controller: c.name }),
        metrics: this.deps.metrics,
        options: this.deps.options,
        signal,
      };
      try {
        await c.start(ctx);
        logger.info({ controller: c.name }, 'started controller');
      } catch (err) {
        logger.error({ err, controller: c.name }, 'controller failed to start');
      }
    }
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    informers.start();
    void informers.waitForSync().then(
      () => logger.info('informers synced'),
      () => undefined,
    );
    await stopped;
    await informers.stop();
  }
}
