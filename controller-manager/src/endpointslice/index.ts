/**
 * The EndpointSlice controller as a controller-manager descriptor: service and pod informers
 * (shared with the endpoints controller), an informer of the slices this controller manages
 * (by the managed-by label), one queue. The slice informer's initial adds queue every service
 * that has managed slices, so slices of services deleted while no controller ran go too.
 */
import { ENDPOINTSLICE_CONTROLLER_NAME, LABEL_MANAGED_BY, RESOURCES, type EndpointSlice, type Pod, type Service } from '@mk8s/shared';
import type { ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { EndpointSliceController } from './controller.js';
import { DEFAULT_MAX_ENDPOINTS_PER_SLICE } from './reconcile.js';

export const endpointSliceController: ControllerDescriptor = {
  name: 'endpointslice',
  start(ctx) {
    const queue = newQueue(ctx, 'endpoint_slice');
    const services = ctx.informers.get<Service>(RESOURCES.services);
    const pods = ctx.informers.get<Pod>(RESOURCES.pods);
    const slices = ctx.informers.get<EndpointSlice>(RESOURCES.endpointslices, { labelSelector: `${LABEL_MANAGED_BY}=${ENDPOINTSLICE_CONTROLLER_NAME}` });
    const c = new EndpointSliceController({
      services,
      pods,
      slices,
      slicesApi: ctx.client.resource<EndpointSlice>(RESOURCES.endpointslices),
      logger: ctx.logger,
      enqueue: (key) => queue.add(key),
      enqueueAfter: (key, ms) => queue.addAfter(key, ms),
      maxEndpointsPerSlice: ctx.options.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE,
    });
    services.addHandlers({ onAdd: c.onServiceChange, onUpdate: c.onServiceUpdate, onDelete: c.onServiceChange });
    pods.addHandlers({ onAdd: c.onPodAdd, onUpdate: c.onPodUpdate, onDelete: c.onPodDelete });
    slices.addHandlers({ onAdd: c.onSliceChange, onUpdate: c.onSliceUpdate, onDelete: c.onSliceDelete });
    void startWorkers(ctx, queue, (key) => c.sync(key));
  },
};
