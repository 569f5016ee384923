/** The node IPAM controller as a controller-manager descriptor: a node informer and one worker. */
import { RESOURCES, type Node } from '@mk8s/shared';
import type { ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { newCidrSet } from './cidr.js';
import { NodeIpamController } from './controller.js';

export const nodeIpamController: ControllerDescriptor = {
  name: 'nodeipam',
  start(ctx) {
    const cidrs = newCidrSet(ctx.options.clusterCidr, ctx.options.nodeCidrMaskSize);
    const queue = newQueue(ctx, 'nodeipam');
    const nodes = ctx.informers.get<Node>(RESOURCES.nodes);
    const c = new NodeIpamController({ nodes, nodeApi: ctx.client.resource<Node>(RESOURCES.nodes), recorder: ctx.recorder, logger: ctx.logger, cidrs, enqueue: (n) => queue.add(n) });
    nodes.addHandlers({ onAdd: c.onNodeChange, onUpdate: c.onNodeUpdate, onDelete: c.onNodeDelete });
    void startWorkers(ctx, queue, (name) => c.sync(name), 1);
  },
};
