/**
 * The Kubelet: wires the pod informer (pods bound to this node), the pod workers, the
 * relist loop (PLEG) and housekeeping together, over one PodContext.
 *
 * - Informer events -> `workers.update(uid, pod)`; a deleted pod -> `update(uid, undefined)`.
 * - PLEG events -> the pod's worker syncs again. Containers whose pod uid is neither in
 *   the informer's cache nor known to a worker are orphans: after the informer has synced
 *   they get a terminating worker (killed and removed), so adoption after a restart never
 *   touches pods that still exist.
 * - Every 30 relists, pod directories under the root dir that belong to no known pod and
 *   no container are removed.
 * - A VolumeRefresher keeps configMap/secret/downwardAPI/projected volume files of running pods current.
 * - `start()` waits for the first list before the first relist, so nothing is removed on
 *   the strength of an empty cache; `stop()` stops loops and waits for running syncs, and
 *   leaves containers running (like the real kubelet).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Informer, RESOURCES, type Logger, type Pod } from '@mk8s/shared';
import { Pleg, type PlegEvent } from './pleg.js';
import type { PodContext } from './pod/context.js';
import { terminatePod } from './pod/kill.js';
import { podUids } from './pod/runtime-pod.js';
import { PodSyncer } from './pod/sync.js';
import { teardownPodDir } from './pod/volumes.js';
import { PodWorkers } from './pod/worker.js';
import { VolumeRefresher } from './pod/volume-refresh.js';
import type { RuntimeContainer } from './runtime/docker.js';

export interface KubeletOptions {
  ctx: PodContext;
  relistPeriodMs?: number;
  resyncMs?: number;
  onSynced?: (seconds: number, ok: boolean) => void;
  /** how often configMap/secret/downwardAPI/projected volume files are refreshed (default 10 s) */
  volumeRefreshMs?: number;
  logger: Logger;
}

export class Kubelet {
  readonly informer: Informer<Pod>;
  readonly workers: PodWorkers;
  readonly pleg: Pleg;
  readonly syncer: PodSyncer;
  readonly volumeRefresher: VolumeRefresher;
  private readonly ctx: PodContext;
  private relists = 0;

  constructor(private readonly opts: KubeletOptions) {
    const ctx = (this.ctx = opts.ctx);
    this.syncer = new PodSyncer(ctx);
    this.informer = new Informer<Pod>(ctx.client.resource<Pod>(RESOURCES.pods), {
      fieldSelector: `spec.nodeName=${ctx.nodeName}`,
      logger: opts.logger,
    });
    const workerOpts: ConstructorParameters<typeof PodWorkers>[0] = {
      syncPod: (pod) => this.syncer.syncPod(pod),
      terminatePod: (uid, pod) => terminatePod(ctx, uid, pod, this.syncer.images),
      logger: opts.logger,
    };
    if (opts.resyncMs !== undefined) workerOpts.resyncMs = opts.resyncMs;
    if (opts.onSynced) workerOpts.onSynced = opts.onSynced;
    this.workers = new PodWorkers(workerOpts);
    this.pleg = new Pleg(ctx.runtime, {
      periodMs: opts.relistPeriodMs ?? 1000,
      logger: opts.logger,
      onEvents: (events, list) => this.onRelist(events, list),
    });
    this.volumeRefresher = new VolumeRefresher({ rootDir: ctx.rootDir, sources: ctx.sources, tokens: ctx.tokens, pods: () => this.pods(), periodMs: opts.volumeRefreshMs, logger: opts.logger, docker: ctx.docker, nodeName: ctx.nodeName });
  }

  async start(): Promise<void> {
    this.informer.addHandlers({
      onAdd: (pod) => this.onPod(pod),
      onUpdate: (old, pod) => this.onPod(pod, old),
      onDelete: (pod) => {
        if (pod.metadata.uid) this.workers.update(pod.metadata.uid, undefined);
      },
    });
    this.informer.start();
    await this.informer.waitForSync();
    this.pleg.start();
    this.volumeRefresher.start();
  }

  async stop(): Promise<void> {
    this.pleg.stop();
    await this.volumeRefresher.stop();
    await this.informer.stop();
    await this.workers.stop();
    this.ctx.probes.stop();
  }

  /** Pods this kubelet is running (informer view). */
  pods(): Pod[] {
    return this.informer.list();
  }

  private onPod(pod: Pod, old?: Pod): void {
    if (!pod.metadata.uid || pod.spec.nodeName !== this.ctx.nodeName) return;
    // A change of status alone (mostly this kubelet's own writes coming back) needs no sync:
    // the worker keeps the newer object for its next one.
    this.workers.update(pod.metadata.uid, pod, { sync: !old || !onlyStatusChanged(old, pod) });
  }

  private onRelist(events: PlegEvent[], list: RuntimeContainer[]): void {
    for (const uid of new Set(events.map((e) => e.podUid))) this.workers.enqueue(uid);
    if (!this.informer.hasSynced()) return;
    const live = new Set(this.informer.list().map((p) => p.metadata.uid));
    const withContainers = podUids(list);
    for (const uid of withContainers) {
      if (live.has(uid) || this.workers.knows(uid)) continue;
      this.opts.logger.info({ uid }, 'removing containers of a pod no longer in the API');
      this.workers.update(uid, undefined);
    }
    if (++this.relists % 30 === 1) void this.removeOrphanedPodDirs(live, withContainers);
  }

  /** Pod directories left behind (e.g. a kubelet killed mid-termination) go once nothing uses them. */
  private async removeOrphanedPodDirs(live: Set<string | undefined>, withContainers: Set<string>): Promise<void> {
    const dirs = await readdir(join(this.ctx.rootDir, 'pods')).catch(() => [] as string[]);
    for (const uid of dirs) {
      if (live.has(uid) || withContainers.has(uid) || this.workers.knows(uid)) continue;
      this.opts.logger.info({ uid }, 'removing orphaned pod directory');
      await teardownPodDir(this.ctx.rootDir, uid).catch((err: unknown) => this.opts.logger.warn({ err, uid }, 'removing pod directory failed'));
    }
  }
}

/** True when two versions of a pod differ in nothing but status and resourceVersion. */
export function onlyStatusChanged(old: Pod, pod: Pod): boolean {
  if (old.metadata.uid !== pod.metadata.uid) return false;
  const strip = (p: Pod) => JSON.stringify({ ...p, status: undefined, metadata: { ...p.metadata, resourceVersion: undefined, managedFields: undefined } });
  return strip(old) === strip(pod);
}
