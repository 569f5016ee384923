/**
 * Prometheus metrics for work queues, with client-go's names: workqueue_depth,
 * workqueue_adds_total, workqueue_retries_total and workqueue_work_duration_seconds, labelled by
 * queue `name`. One set per registry (`workQueueMetrics(registry)` returns the same object each
 * time), shared by every queue of the process.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface WorkQueueMetrics {
  depth: Gauge<'name'>;
  adds: Counter<'name'>;
  retries: Counter<'name'>;
  workDuration: Histogram<'name'>;
}

const byRegistry = new WeakMap<Registry, WorkQueueMetrics>();

export function workQueueMetrics(registry: Registry): WorkQueueMetrics {
  let m = byRegistry.get(registry);
  if (m) return m;
  m = {
    depth: new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: ['name'], registers: [registry] }),
    adds: new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name'], registers: [registry] }),
    retries: new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name'], registers: [registry] }),
    workDuration: new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      labelNames: ['name'],
      buckets: [0.001, 0.01, 0.1, 1, 10, 60],
      registers: [registry],
    }),
  };
  byRegistry.set(registry, m);
  return m;
}
