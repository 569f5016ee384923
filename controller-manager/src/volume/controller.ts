/**
 * PersistentVolumeController: binds claims to volumes and reclaims released volumes, with the
 * local-path provisioner built in. One queue of keys `claim/<ns>/<name>` and `volume/<name>`;
 * handlers only enqueue. Level-triggered:
 *
 * - syncClaim: a claim without a class gets the default class written into it (as the
 *   DefaultStorageClass admission / retroactive assignment do); a claim naming a volume is completed (volume claimRef, both phases Bound,
 *   claim capacity/accessModes); otherwise the best fitting volume (match.ts) is bound, volume
 *   first (claimRef) then claim (volumeName). With none, a claim of a local-path class gets a
 *   new volume on a node (bound on the next sync through its claimRef); any other claim stays
 *   Pending with a FailedBinding / ProvisioningFailed event saying why.
 * - syncVolume: no claimRef -> Available; its claim gone (checked live, not only in the cache)
 *   -> Released, then Retain keeps it and Delete removes it: a local-path volume's directory is
 *   deleted by a helper pod on its node, and the volume once that pod has Succeeded.
 * Every write is from the cache's view; a conflict throws and the key is retried with backoff.
 */
import {
  isAlreadyExists,
  isNotFound,
  type Logger,
  type Node,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Pod,
  type ResourceApi,
  type StorageClass,
} from '@mk8s/shared';
import { cleanupPod, helperPodName, HELPER_NAMESPACE, LOCAL_PATH_PROVISIONER, pickNode, PROVISIONED_BY, provisionedVolume, volumeNode } from './local-path.js';
import { claimClass, findBestMatch, isVolumeBoundToClaim } from './match.js';
import type { Lister } from '../util/lister.js';

export interface Recorder {
  event(obj: PersistentVolume | PersistentVolumeClaim, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface VolumeControllerDeps {
  claims: Lister<PersistentVolumeClaim>;
  volumes: Lister<PersistentVolume>;
  classes: Lister<StorageClass>;
  nodes: Lister<Node>;
  pods: Lister<Pod>;
  claimsApi: ResourceApi<PersistentVolumeClaim>;
  volumesApi: ResourceApi<PersistentVolume>;
  podsApi: ResourceApi<Pod>;
  recorder: Recorder;
  logger: Logger;
  localPathBase: string;
  helperImage: string;
}

export const claimKey = (ns: string | undefined, name: string): string => `claim/${ns ?? 'default'}/${name}`;
export const volumeKey = (name: string): string => `volume/${name}`;

export const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';

export class PersistentVolumeController {
  constructor(private readonly d: VolumeControllerDeps) {}

  async sync(key: string): Promise<void> {
    const [kind, a, b] = key.split('/');
    if (kind === 'claim' && a !== undefined && b !== undefined) return this.syncClaim(a, b);
    if (kind === 'volume' && a !== undefined) return this.syncVolume(a);
  }

  /** Keys of claims still waiting for a volume (retried whenever volumes, classes or nodes change). */
  pendingClaimKeys(): string[] {
    return this.d.claims
      .list()
      .filter((c) => c.status?.phase !== 'Bound' && !c.metadata.deletionTimestamp)
      .map((c) => claimKey(c.metadata.namespace, c.metadata.name ?? ''));
  }

  async syncClaim(ns: string, name: string): Promise<void> {
    let claim = this.d.claims.get(ns, name);
    if (!claim || claim.metadata.deletionTimestamp) return;
    const classes = this.d.classes.list();
    const className = claimClass(claim, classes);
    if ((claim.spec.storageClassName === undefined || claim.spec.storageClassName === null) && className && !claim.spec.volumeName) {
      // retroactive default StorageClass assignment (as Kubernetes' PV controller does since 1.28)
      await this.d.claimsApi.update({ ...claim, spec: { ...claim.spec, storageClassName: className } });
      return; // the update brings the claim back
    }
    if (claim.spec.volumeName) {
      const pv = this.d.volumes.get(undefined, claim.spec.volumeName);
      if (!pv) {
        if (claim.status?.phase === 'Bound') {
          await this.d.claimsApi.updateStatus({ ...claim, status: { ...claim.status, phase: 'Lost' } });
          this.d.recorder.event(claim, 'Warning', 'ClaimLost', `Bound claim has lost reference to PersistentVolume. Data on the volume is lost!`);
        }
        return;
      }
      if (pv.spec.claimRef && !isVolumeBoundToClaim(pv, claim)) {
        this.d.recorder.event(claim, 'Warning', 'FailedBinding', `volume "${pv.metadata.name}" already bound to a different claim.`);
        return;
      }
      const bound = pv.spec.claimRef?.uid ? pv : await this.setClaimRef(pv, claim);
      await this.markBound(bound, claim);
      return;
    }
    const match = findBestMatch(claim, this.d.volumes.list(), className);
    if (match) {
      const pv = match.spec.claimRef?.uid ? match : await this.setClaimRef(match, claim);
      claim = await this.d.claimsApi.update({
        ...claim,
        metadata: { ...claim.metadata, annotations: { ...(claim.metadata.annotations ?? {}), [BIND_COMPLETED]: 'yes' } },
        spec: { ...claim.spec, volumeName: pv.metadata.name ?? '' },
      });
      await this.markBound(pv, claim);
      this.d.logger.info({ claim: `${ns}/${name}`, volume: pv.metadata.name }, 'claim bound');
      return;
    }
    await this.provisionOrWait(claim, className, classes);
  }

  private async provisionOrWait(claim: PersistentVolumeClaim, className: string, classes: StorageClass[]): Promise<void> {
    const sc = classes.find((c) => c.metadata.name === className);
    if (!className) {
      this.d.recorder.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    if (!sc) {
      this.d.recorder.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    if (sc.provisioner !== LOCAL_PATH_PROVISIONER) {
      this.d.recorder.event(claim, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created by the external provisioner "${sc.provisioner}"`);
      return;
    }
    const node = pickNode(this.d.nodes.list(), this.d.volumes.list());
    if (!node) {
      this.d.recorder.event(claim, 'Warning', 'ProvisioningFailed', 'failed to provision volume with StorageClass "local-path": no Ready schedulable node');
      return;
    }
    const pv = provisionedVolume(claim, sc, node, this.d.localPathBase);
    try {
      await this.d.volumesApi.create(pv);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      return;
    }
    this.d.recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata.name} on node ${node.metadata.name}`);
    this.d.logger.info({ claim: `${claim.metadata.namespace}/${claim.metadata.name}`, volume: pv.metadata.name, node: node.metadata.name }, 'volume provisioned');
  }

  private async setClaimRef(pv: PersistentVolume, claim: PersistentVolumeClaim): Promise<PersistentVolume> {
    return this.d.volumesApi.update({
      ...pv,
      spec: {
        ...pv.spec,
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: claim.metadata.namespace ?? 'default',
          name: claim.metadata.name ?? '',
          uid: claim.metadata.uid ?? '',
          resourceVersion: claim.metadata.resourceVersion ?? '',
        },
      },
    });
  }

  private async markBound(pv: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    if (pv.status?.phase !== 'Bound') await this.d.volumesApi.updateStatus({ ...pv, status: { phase: 'Bound' } });
    if (claim.status?.phase !== 'Bound' || !claim.status.capacity) {
      await this.d.claimsApi.updateStatus({
        ...claim,
        status: { ...(claim.status ?? {}), phase: 'Bound', accessModes: pv.spec.accessModes ?? [], capacity: pv.spec.capacity ?? {} },
      });
    }
  }

  async syncVolume(name: string): Promise<void> {
    const pv = this.d.volumes.get(undefined, name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    const ref = pv.spec.claimRef;
    if (!ref || !ref.uid) {
      await this.setPhase(pv, 'Available');
      return;
    }
    const cached = this.d.claims.get(ref.namespace, ref.name ?? '');
    if (cached && cached.metadata.uid === ref.uid) {
      if (cached.spec.volumeName === name) await this.setPhase(pv, 'Bound');
      return;
    }
    const live = await this.d.claimsApi.get(ref.namespace, ref.name ?? '').catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (live && live.metadata.uid === ref.uid) return; // the cache lags; its event will enqueue us again
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') {
      await this.setPhase(pv, 'Released');
      this.d.logger.info({ volume: name, claim: `${ref.namespace}/${ref.name}` }, 'volume released');
      return; // the status update re-enqueues the volume for reclaim
    }
    if (pv.status.phase === 'Failed') return;
    const policy = pv.spec.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Retain') return;
    if (policy === 'Delete' && pv.metadata.annotations?.[PROVISIONED_BY] === LOCAL_PATH_PROVISIONER) {
      await this.reclaimLocalPath(pv);
      return;
    }
    const message = policy === 'Delete' ? `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched` : `reclaim policy ${policy} is not supported`;
    await this.d.volumesApi.updateStatus({ ...pv, status: { phase: 'Failed', message } });
    this.d.recorder.event(pv, 'Warning', 'VolumeFailedDelete', message);
  }

  private async reclaimLocalPath(pv: PersistentVolume): Promise<void> {
    const name = pv.metadata.name ?? '';
    const node = volumeNode(pv);
    if (!node || !pv.spec.hostPath?.path) {
      await this.d.volumesApi.delete(undefined, name);
      return;
    }
    const helper = this.d.pods.get(HELPER_NAMESPACE, helperPodName(pv));
    if (!helper) {
      try {
        await this.d.podsApi.create(cleanupPod(pv, node, this.d.helperImage));
        this.d.logger.info({ volume: name, node }, 'cleanup helper pod created');
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      return;
    }
    if (helper.status?.phase === 'Failed') {
      this.d.recorder.event(pv, 'Warning', 'VolumeFailedDelete', `helper pod ${helper.metadata.name} failed to remove ${pv.spec.hostPath.path} on node ${node}`);
      await this.deleteIgnoringNotFound(this.d.podsApi, HELPER_NAMESPACE, helper.metadata.name ?? '');
      throw new Error(`cleanup of volume ${name} failed; retrying`);
    }
    if (helper.status?.phase !== 'Succeeded') return; // its updates enqueue us again
    await this.deleteIgnoringNotFound(this.d.podsApi, HELPER_NAMESPACE, helper.metadata.name ?? '');
    await this.deleteIgnoringNotFound(this.d.volumesApi, undefined, name);
    this.d.logger.info({ volume: name, path: pv.spec.hostPath.path, node }, 'volume deleted');
  }

  private async setPhase(pv: PersistentVolume, phase: 'Available' | 'Bound' | 'Released'): Promise<void> {
    if (pv.status?.phase === phase) return;
    await this.d.volumesApi.updateStatus({ ...pv, status: { phase } });
  }

  private async deleteIgnoringNotFound<T extends Pod | PersistentVolume>(api: ResourceApi<T>, ns: string | undefined, name: string): Promise<void> {
    try {
      await api.delete(ns, name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
