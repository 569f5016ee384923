/**
 * The DaemonSet controller as a controller-manager descriptor: wires the daemonsets, pods and
 * nodes informers to a `DaemonSetController` and starts `concurrentSyncs` workers on its queue.
 */
import { RESOURCES, type DaemonSet, type Node, type Pod } from '@mk8s/shared';
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { DaemonSetController } from './controller.js';

function startDaemonSetController(ctx: ControllerContext): DaemonSetController {
  const queue = newQueue(ctx, 'daemonset');
  const daemonSets = ctx.informers.get<DaemonSet>(RESOURCES.daemonsets);
  const pods = ctx.informers.get<Pod>(RESOURCES.pods);
  const nodes = ctx.informers.get<Node>(RESOURCES.nodes);
  const controller = new DaemonSetController({
    daemonSets,
    pods,
    nodes,
    dsApi: ctx.client.resource<DaemonSet>(RESOURCES.daemonsets),
    podApi: ctx.client.resource<Pod>(RESOURCES.pods),
    recorder: ctx.recorder,
    logger: ctx.logger.child({ controller: 'daemonset' }),
    enqueue: (key, afterMs) => (afterMs ? queue.addAfter(key, afterMs) : queue.add(key)),
  });
  daemonSets.addHandlers({ onAdd: controller.onDaemonSetAdd, onUpdate: controller.onDaemonSetUpdate, onDelete: controller.onDaemonSetDelete });
  pods.addHandlers({ onAdd: controller.onPodAdd, onUpdate: controller.onPodUpdate, onDelete: controller.onPodDelete });
  nodes.addHandlers({ onAdd: controller.onNodeAdd, onUpdate: controller.onNodeUpdate, onDelete: controller.onNodeDelete });
  void startWorkers(ctx, queue, (key) => controller.sync(key));
  return controller;
}

export const daemonSetController: ControllerDescriptor = {
  name: 'daemonset',
  start: (ctx) => void startDaemonSetController(ctx),
};

export { DaemonSetController } from './controller.js';
export { nodeShouldRunDaemonPod } from './node-fit.js';
