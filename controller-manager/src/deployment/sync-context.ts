/**
 * SyncContext: the state of one deployment sync. It holds a working copy of the deployment that
 * follows every write made during the sync (status, revision annotation), so later steps compare
 * against what is really stored, plus the clients, caches and event recorder the steps use.
 */
import { isNotFound, type Deployment, type EventRecorder, type Logger, type Pod, type ReplicaSet, type ResourceApi } from '@mk8s/shared';
import { replicasAnnotationsFor, replicasAnnotationsNeedUpdate } from './annotations.js';
import type { DeploymentStatus } from './conditions.js';
import { REVISION, specReplicas } from './rs-util.js';
import { deploymentStatusEqual } from './status.js';
import type { Lister } from '../util/lister.js';

export interface SyncDeps {
  deploymentApi: ResourceApi<Deployment>;
  rsApi: ResourceApi<ReplicaSet>;
  replicaSets: Lister<ReplicaSet>;
  pods: Lister<Pod>;
  recorder: EventRecorder;
  logger: Logger;
  now: () => number;
  enqueueAfter: (key: string, ms: number) => void;
}

export class SyncContext {
  readonly rsApi: ResourceApi<ReplicaSet>;
  readonly replicaSets: Lister<ReplicaSet>;
  readonly pods: Lister<Pod>;
  readonly recorder: EventRecorder;
  readonly logger: Logger;

  constructor(
    public d: Deployment,
    readonly key: string,
    private readonly deps: SyncDeps,
  ) {
    this.rsApi = deps.rsApi;
    this.replicaSets = deps.replicaSets;
    this.pods = deps.pods;
    this.recorder = deps.recorder;
    this.logger = deps.logger;
  }

  now(): number {
    return this.deps.now();
  }

  enqueueAfter(ms: number): void {
    this.deps.enqueueAfter(this.key, ms);
  }

  /** Writes status when it differs from the working copy's. */
  async writeStatus(status: DeploymentStatus): Promise<void> {
    if (deploymentStatusEqual(this.d.status, status)) return;
    this.d = await this.deps.deploymentApi.updateStatus({ ...this.d, status });
  }

  /** Keeps the deployment's revision annotation equal to its new ReplicaSet's. */
  async setRevision(revision: string): Promise<void> {
    if (this.d.metadata.annotations?.[REVISION] === revision) return;
    const status = this.d.status;
    this.d = await this.deps.deploymentApi.patch(this.d.metadata.namespace, this.d.metadata.name ?? '', { metadata: { annotations: { [REVISION]: revision } } }, 'merge');
    this.d.status ??= status;
  }

  /** Resizes a ReplicaSet (and its replicas annotations); returns it as stored. */
  async scaleReplicaSet(rs: ReplicaSet, replicas: number): Promise<ReplicaSet> {
    const from = specReplicas(rs);
    if (from === replicas && !replicasAnnotationsNeedUpdate(rs, this.d)) return rs;
    const updated = await this.rsApi.update({
      ...rs,
      metadata: { ...rs.metadata, annotations: { ...rs.metadata.annotations, ...replicasAnnotationsFor(this.d) } },
      spec: { ...rs.spec, replicas },
    });
    if (from !== replicas) {
      const dir = replicas > from ? 'up' : 'down';
      this.recorder.event(this.d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name ?? ''} to ${replicas} from ${from}`);
    }
    return updated;
  }

  async deleteReplicaSet(rs: ReplicaSet): Promise<void> {
    try {
      await this.rsApi.delete(rs.metadata.namespace, rs.metadata.name ?? '', { preconditions: { uid: rs.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
