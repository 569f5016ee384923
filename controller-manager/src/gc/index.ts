/**
 * The garbage collector as a controller-manager descriptor: one informer per monitored kind feeds
 * the `GarbageCollector`'s graph; `concurrentSyncs` workers run `sync` on its queue.
 */
import type { KubeObject } from '@mk8s/shared';
import type { ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { GarbageCollector, GC_RESOURCES } from './collector.js';

export const garbageCollectorController: ControllerDescriptor = {
  name: 'garbagecollector',
  start(ctx) {
    const queue = newQueue(ctx, 'garbagecollector');
    const gc = new GarbageCollector({ client: ctx.client, logger: ctx.logger, enqueue: (id) => queue.add(id) });
    for (const type of GC_RESOURCES) ctx.informers.get<KubeObject>(type).addHandlers(gc.handlersFor(type));
    void startWorkers(ctx, queue, (id) => gc.sync(id));
  },
};
