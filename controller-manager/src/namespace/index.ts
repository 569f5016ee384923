/**
 * The namespace controller as a controller-manager descriptor: a namespace informer enqueues
 * namespaces being deleted; while content remains a namespace is requeued after 250 ms, doubling
 * to 5 s (pods being stopped by their kubelets take their grace period).
 */
import { RESOURCES, type Namespace } from '@mk8s/shared';
import type { ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { needsFinalizing } from './content.js';
import { NamespaceController } from './controller.js';

export const namespaceController: ControllerDescriptor = {
  name: 'namespace',
  start(ctx) {
    const queue = newQueue(ctx, 'namespace');
    const namespaces = ctx.informers.get<Namespace>(RESOURCES.namespaces);
    const c = new NamespaceController({ namespaces, namespaceApi: ctx.client.resource<Namespace>(RESOURCES.namespaces), client: ctx.client, logger: ctx.logger });
    const attempts = new Map<string, number>();
    const enqueue = (ns: Namespace) => {
      if (needsFinalizing(ns)) queue.add(ns.metadata.name ?? '');
    };
    namespaces.addHandlers({ onAdd: enqueue, onUpdate: (_o, ns) => enqueue(ns) });
    void startWorkers(ctx, queue, async (name) => {
      const r = await c.sync(name);
      if (r.done) {
        attempts.delete(name);
        return;
      }
      const n = (attempts.get(name) ?? 0) + 1;
      attempts.set(name, n);
      queue.addAfter(name, Math.min(5_000, 250 * 2 ** (n - 1)));
    });
  },
};
