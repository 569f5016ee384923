/**
 * The HPA controller as a controller-manager descriptor: an HPA informer (changes sync at once)
 * and the shared pod informer; every HPA is synced again `hpaSyncPeriodMs` after each sync.
 */
import { RESOURCES, keyOf, type HorizontalPodAutoscaler, type Pod } from '@mk8s/shared';
import type { ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { HpaController } from './controller.js';

export const hpaController: ControllerDescriptor = {
  name: 'horizontalpodautoscaling',
  start(ctx) {
    const queue = newQueue(ctx, 'horizontalpodautoscaler');
    const hpas = ctx.informers.get<HorizontalPodAutoscaler>(RESOURCES.horizontalpodautoscalers);
    const c = new HpaController({
      hpas,
      pods: ctx.informers.get<Pod>(RESOURCES.pods),
      client: ctx.client,
      recorder: ctx.recorder,
      logger: ctx.logger,
      downscaleStabilizationMs: ctx.options.hpaDownscaleStabilizationMs,
    });
    const enqueue = (h: HorizontalPodAutoscaler) => queue.add(keyOf(h));
    hpas.addHandlers({ onAdd: enqueue, onUpdate: (old, h) => old.metadata.generation !== h.metadata.generation && enqueue(h), onDelete: (h) => c.forget(keyOf(h)) });
    void startWorkers(ctx, queue, async (key) => {
      try {
        await c.sync(key);
      } finally {
        if (hpas.getByKey(key)) queue.addAfter(key, ctx.options.hpaSyncPeriodMs);
      }
    });
  },
};
