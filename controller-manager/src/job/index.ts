/**
 * The Job controller as a controller-manager descriptor: wires the jobs and pods informers to a
 * `JobController` and starts `concurrentSyncs` workers on its queue.
 */
import { RESOURCES, type Job, type Pod } from '@mk8s/shared';
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { JobController } from './controller.js';

function startJobController(ctx: ControllerContext): JobController {
  const queue = newQueue(ctx, 'job');
  const jobs = ctx.informers.get<Job>(RESOURCES.jobs);
  const pods = ctx.informers.get<Pod>(RESOURCES.pods);
  const controller = new JobController({
    jobs,
    pods,
    jobApi: ctx.client.resource<Job>(RESOURCES.jobs),
    podApi: ctx.client.resource<Pod>(RESOURCES.pods),
    recorder: ctx.recorder,
    logger: ctx.logger.child({ controller: 'job' }),
    enqueue: (key, afterMs) => (afterMs ? queue.addAfter(key, afterMs) : queue.add(key)),
  });
  jobs.addHandlers({ onAdd: controller.onJobAdd, onUpdate: controller.onJobUpdate, onDelete: controller.onJobDelete });
  pods.addHandlers({ onAdd: controller.onPodAdd, onUpdate: controller.onPodUpdate, onDelete: controller.onPodDelete });
  void startWorkers(ctx, queue, (key) => controller.sync(key));
  return controller;
}

export const jobController: ControllerDescriptor = {
  name: 'job',
  start: (ctx) => void startJobController(ctx),
};

export { JobController } from './controller.js';
export { planJob } from './plan.js';
