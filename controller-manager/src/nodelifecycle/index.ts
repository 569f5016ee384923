/**
 * The node lifecycle controller as a controller-manager descriptor: node, lease (kube-node-lease)
 * and pod informers, and a loop running `monitor()` every `nodeMonitorPeriodMs` once they synced.
 */
import { realSleep, RESOURCES, type Lease, type Node, type Pod } from '@mk8s/shared';
import type { ControllerDescriptor } from '../context.js';
import { LEASE_NAMESPACE, NodeLifecycleController } from './controller.js';

export const nodeLifecycleController: ControllerDescriptor = {
  name: 'nodelifecycle',
  start(ctx) {
    const c = new NodeLifecycleController({
      nodes: ctx.informers.get<Node>(RESOURCES.nodes),
      leases: ctx.informers.get<Lease>(RESOURCES.leases, { namespace: LEASE_NAMESPACE }),
      pods: ctx.informers.get<Pod>(RESOURCES.pods),
      nodeApi: ctx.client.resource<Node>(RESOURCES.nodes),
      podApi: ctx.client.resource<Pod>(RESOURCES.pods),
      recorder: ctx.recorder,
      logger: ctx.logger,
      gracePeriodMs: ctx.options.nodeMonitorGracePeriodMs,
    });
    const loop = async (): Promise<void> => {
      await ctx.informers.waitForSync();
      while (!ctx.signal.aborted) {
        await c.monitor();
        await realSleep(ctx.options.nodeMonitorPeriodMs, ctx.signal);
      }
    };
    loop().catch((err: unknown) => {
      if (!ctx.signal.aborted) ctx.logger.error({ err }, 'node monitor loop ended');
    });
  },
};
