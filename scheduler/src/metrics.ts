/**
 * The scheduler's Prometheus metrics, registered on the registry the caller passes (the ops
 * server's). Names follow kube-scheduler's where one exists.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

export interface QueueCounts {
  active: number;
  backoff: number;
  unschedulable: number;
  inFlight: number;
}

export class SchedulerMetrics {
  readonly attempts: Counter<'result'>;
  readonly e2eLatency: Histogram;
  readonly algorithmLatency: Histogram;
  readonly bindLatency: Histogram<'result'>;
  readonly pendingPods: Gauge<'queue'>;

  constructor(registry: Registry, counts: () => QueueCounts) {
    const registers = [registry];
    this.attempts = new Counter({
      name: 'scheduler_schedule_attempts_total',
      help: 'Number of attempts to schedule pods, by the result.',
      labelNames: ['result'],
      registers,
    });
    this.e2eLatency = new Histogram({
      name: 'scheduler_pod_scheduling_duration_seconds',
      help: 'E2e latency for a pod being scheduled: from entering the queue to its binding, over all attempts.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.algorithmLatency = new Histogram({
      name: 'scheduler_scheduling_algorithm_duration_seconds',
      help: 'Scheduling algorithm latency (filter and score) per attempt.',
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.bindLatency = new Histogram({
      name: 'scheduler_binding_duration_seconds',
      help: 'Latency of binding requests, by result.',
      labelNames: ['result'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.pendingPods = new Gauge({
      name: 'scheduler_pending_pods',
      help: 'Number of pending pods, by the queue they are in (active, backoff, unschedulable, inflight).',
      labelNames: ['queue'],
      registers,
      collect() {
        const c = counts();
        this.set({ queue: 'active' }, c.active);
        this.set({ queue: 'backoff' }, c.backoff);
        this.set({ queue: 'unschedulable' }, c.unschedulable);
        this.set({ queue: 'inflight' }, c.inFlight);
      },
    });
  }
}
