/**
 * The ReplicaSet and ReplicationController controllers as controller-manager descriptors:
 * wire the shared pod informer and the owner informer to a `ReplicaController` and start
 * `concurrentSyncs` workers on its queue.
 */
import type { Pod } from '@mk8s/shared';
import { RESOURCES } from '@mk8s/shared';
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { replicaSetAdapter, replicationControllerAdapter, type KindAdapter, type ReplicaOwner } from './adapter.js';
import { ReplicaController } from './controller.js';

function startReplication(ctx: ControllerContext, adapter: KindAdapter): ReplicaController {
  const queue = newQueue(ctx, adapter.name);
  const owners = ctx.informers.get<ReplicaOwner>(adapter.type);
  const pods = ctx.informers.get<Pod>(RESOURCES.pods);
  const controller = new ReplicaController({
    adapter,
    owners,
    pods,
    ownerApi: ctx.client.resource<ReplicaOwner>(adapter.type),
    podApi: ctx.client.resource<Pod>(RESOURCES.pods),
    recorder: ctx.recorder,
    logger: ctx.logger,
    enqueue: (key, afterMs) => (afterMs ? queue.addAfter(key, afterMs) : queue.add(key)),
  });
  owners.addHandlers({ onAdd: controller.onOwnerAdd, onUpdate: controller.onOwnerUpdate, onDelete: controller.onOwnerDelete });
  pods.addHandlers({ onAdd: controller.onPodAdd, onUpdate: controller.onPodUpdate, onDelete: controller.onPodDelete });
  void startWorkers(ctx, queue, (key) => controller.sync(key));
  return controller;
}

export const replicaSetController: ControllerDescriptor = {
  name: 'replicaset',
  start: (ctx) => void startReplication(ctx, replicaSetAdapter),
};

export const replicationControllerController: ControllerDescriptor = {
  name: 'replicationcontroller',
  start: (ctx) => void startReplication(ctx, replicationControllerAdapter),
};
