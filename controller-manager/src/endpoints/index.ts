/**
 * The endpoints controller as a controller-manager descriptor: service, pod and endpoints
 * informers, one queue. Once the caches have synced, Endpoints left over from Services deleted
 * while no controller ran are queued for deletion (Kubernetes' checkLeftoverEndpoints); later
 * Endpoints without a Service are left alone (a user may create them before the Service).
 */
import { RESOURCES, type Endpoints, type Pod, type Service } from '@mk8s/shared';
import type { ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { EndpointsController } from './controller.js';

export const endpointsController: ControllerDescriptor = {
  name: 'endpoint',
  start(ctx) {
    const queue = newQueue(ctx, 'endpoint');
    const services = ctx.informers.get<Service>(RESOURCES.services);
    const pods = ctx.informers.get<Pod>(RESOURCES.pods);
    const endpoints = ctx.informers.get<Endpoints>(RESOURCES.endpoints);
    const c = new EndpointsController({
      services,
      pods,
      endpoints,
      endpointsApi: ctx.client.resource<Endpoints>(RESOURCES.endpoints),
      logger: ctx.logger,
      enqueue: (key) => queue.add(key),
    });
    services.addHandlers({ onAdd: c.onServiceChange, onUpdate: c.onServiceUpdate, onDelete: c.onServiceChange });
    pods.addHandlers({ onAdd: c.onPodAdd, onUpdate: c.onPodUpdate, onDelete: c.onPodDelete });
    endpoints.addHandlers({ onUpdate: c.onEndpointsUpdate, onDelete: c.onEndpointsChange });
    void startWorkers(ctx, queue, (key) => c.sync(key));
    ctx.informers.waitForSync().then(
      () => c.leftoverKeys().forEach((key) => queue.add(key)),
      () => undefined,
    );
  },
};
