/**
 * The Deployment controller as a controller-manager descriptor: shared deployment, ReplicaSet
 * and pod informers wired to a `DeploymentController`, `concurrentSyncs` workers on its queue.
 */
import { RESOURCES, type Deployment, type Pod, type ReplicaSet } from '@mk8s/shared';
import type { ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { DeploymentController } from './controller.js';

export const deploymentController: ControllerDescriptor = {
  name: 'deployment',
  start(ctx) {
    const queue = newQueue(ctx, 'deployment');
    const deployments = ctx.informers.get<Deployment>(RESOURCES.deployments);
    const replicaSets = ctx.informers.get<ReplicaSet>(RESOURCES.replicasets);
    const pods = ctx.informers.get<Pod>(RESOURCES.pods);
    const c = new DeploymentController({
      deployments,
      replicaSets,
      pods,
      deploymentApi: ctx.client.resource<Deployment>(RESOURCES.deployments),
      rsApi: ctx.client.resource<ReplicaSet>(RESOURCES.replicasets),
      recorder: ctx.recorder,
      logger: ctx.logger,
      enqueue: (key, afterMs) => (afterMs ? queue.addAfter(key, afterMs) : queue.add(key)),
    });
    deployments.addHandlers({ onAdd: c.onDeployment, onUpdate: c.onDeploymentUpdate, onDelete: c.onDeployment });
    replicaSets.addHandlers({ onAdd: c.onRSAdd, onUpdate: c.onRSUpdate, onDelete: c.onRSDelete });
    pods.addHandlers({ onDelete: c.onPodDelete });
    void startWorkers(ctx, queue, (key) => c.sync(key));
  },
};
