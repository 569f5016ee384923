/**
 * Wires a Scheduler to the cluster: pod and node informers feeding its handlers, the
 * framework built from the plugin profile, metrics on the given registry. `main.ts` adds
 * flags, leader election and the ops server; tests use this directly with a FakeClient.
 *
 * Contract: `start()` resolves once both informers have synced (the cache reflects the
 * cluster), so the first decisions already see every bound pod. `runScheduling(signal)`
 * schedules until `signal` aborts; `stop()` ends everything and waits for binds in flight.
 */
import { Informer, RESOURCES, type ApiClient, type Logger, type Node, type PersistentVolume, type PersistentVolumeClaim, type Pod } from '@mk8s/shared';
import type { Registry } from 'prom-client';
import { Framework } from './framework.js';
import { SchedulerMetrics } from './metrics.js';
import { buildPlugins, DEFAULT_PROFILE, type PluginConfig } from './registry.js';
import { Scheduler, type EventSink } from './scheduler.js';
import { SchedulingQueue, type SchedulingQueueOptions } from './scheduling-queue.js';

export interface SchedulerAppOptions {
  client: ApiClient;
  logger: Logger;
  recorder?: EventSink;
  registry?: Registry;
  schedulerName?: string;
  profile?: readonly PluginConfig[];
  percentageOfNodesToScore?: number;
  maxInFlightBinds?: number;
  recordScheduledEvents?: boolean;
  rng?: () => number;
  queue?: SchedulingQueueOptions;
}

export class SchedulerApp {
  readonly scheduler: Scheduler;
  readonly podInformer: Informer<Pod>;
  readonly nodeInformer: Informer<Node>;
  /** claims and volumes, read by the VolumeBinding plugin; a change retries unschedulable pods */
  readonly claimInformer: Informer<PersistentVolumeClaim>;
  readonly volumeInformer: Informer<PersistentVolume>;
  private running: Promise<void> | undefined;

  constructor(opts: SchedulerAppOptions) {
    const queue = new SchedulingQueue(opts.queue);
    this.claimInformer = new Informer<PersistentVolumeClaim>(opts.client.resource<PersistentVolumeClaim>(RESOURCES.persistentvolumeclaims), { logger: opts.logger });
    this.volumeInformer = new Informer<PersistentVolume>(opts.client.resource<PersistentVolume>(RESOURCES.persistentvolumes), { logger: opts.logger });
    const volumes = {
      claim: (ns: string, name: string) => this.claimInformer.get(ns, name),
      volume: (name: string) => this.volumeInformer.get(undefined, name),
    };
    const framework = new Framework({
      plugins: buildPlugins(opts.profile ?? DEFAULT_PROFILE, { volumes }),
      percentageOfNodesToScore: opts.percentageOfNodesToScore,
      rng: opts.rng,
    });
    const metrics = opts.registry ? new SchedulerMetrics(opts.registry, () => queue.counts()) : undefined;
    this.scheduler = new Scheduler({
      client: opts.client,
      logger: opts.logger.child({ module: 'scheduler' }),
      recorder: opts.recorder,
      schedulerName: opts.schedulerName,
      framework,
      queue,
      metrics,
      maxInFlightBinds: opts.maxInFlightBinds,
      recordScheduledEvents: opts.recordScheduledEvents,
    });
    this.podInformer = new Informer<Pod>(opts.client.resource<Pod>(RESOURCES.pods), { logger: opts.logger });
    this.nodeInformer = new Informer<Node>(opts.client.resource<Node>(RESOURCES.nodes), { logger: opts.logger });
    const s = this.scheduler;
    this.nodeInformer.addHandlers({ onAdd: s.onNodeAdd, onUpdate: s.onNodeUpdate, onDelete: s.onNodeDelete });
    this.podInformer.addHandlers({ onAdd: s.onPodAdd, onUpdate: s.onPodUpdate, onDelete: s.onPodDelete });
    const retry = (): void => queue.moveAllToActiveOrBackoff();
    this.claimInformer.addHandlers({ onAdd: retry, onUpdate: retry });
    this.volumeInformer.addHandlers({ onAdd: retry, onUpdate: retry });
  }

  async start(): Promise<void> {
    this.nodeInformer.start();
    this.podInformer.start();
    this.claimInformer.start();
    this.volumeInformer.start();
    await Promise.all([this.nodeInformer.waitForSync(), this.podInformer.waitForSync(), this.claimInformer.waitForSync(), this.volumeInformer.waitForSync()]);
  }

  hasSynced(): boolean {
    return this.nodeInformer.hasSynced() && this.podInformer.hasSynced() && this.claimInformer.hasSynced() && this.volumeInformer.hasSynced();
  }

  /** Runs the scheduling loop until `signal` aborts or `stop()`; returns when it has ended. */
  runScheduling(signal?: AbortSignal): Promise<void> {
    this.running = this.scheduler.run(signal);
    return this.running;
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    await this.running;
    await this.scheduler.waitForBinds();
    await Promise.all([this.podInformer.stop(), this.nodeInformer.stop(), this.claimInformer.stop(), this.volumeInformer.stop()]);
  }
}
