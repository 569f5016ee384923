/**
 * The PersistentVolume controller (binder + local-path provisioner) as a controller-manager
 * descriptor. On start it makes sure the default StorageClass `local-path` exists (created
 * once, never overwritten: an admin may edit or replace it), then wires informers to one queue.
 */
import {
  isAlreadyExists,
  RESOURCES,
  type Node,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Pod,
  type StorageClass,
} from '@mk8s/shared';
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { claimKey, PersistentVolumeController, volumeKey } from './controller.js';
import { defaultStorageClass, HELPER_PV_LABEL } from './local-path.js';

const isReady = (n: Node): boolean => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

async function ensureDefaultClass(ctx: ControllerContext): Promise<void> {
  const api = ctx.client.resource<StorageClass>(RESOURCES.storageclasses);
  for (let delay = 500; !ctx.signal.aborted; delay = Math.min(delay * 2, 30_000)) {
    try {
      await api.create(defaultStorageClass());
      ctx.logger.info({ storageClass: 'local-path' }, 'default storage class created');
      return;
    } catch (err) {
      if (isAlreadyExists(err)) return;
      ctx.logger.warn({ err }, 'creating the default storage class failed; retrying');
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

export const persistentVolumeController: ControllerDescriptor = {
  name: 'persistentvolume-binder',
  start(ctx) {
    const queue = newQueue(ctx, 'persistentvolume');
    const claims = ctx.informers.get<PersistentVolumeClaim>(RESOURCES.persistentvolumeclaims);
    const volumes = ctx.informers.get<PersistentVolume>(RESOURCES.persistentvolumes);
    const classes = ctx.informers.get<StorageClass>(RESOURCES.storageclasses);
    const nodes = ctx.informers.get<Node>(RESOURCES.nodes);
    const pods = ctx.informers.get<Pod>(RESOURCES.pods);
    const c = new PersistentVolumeController({
      claims,
      volumes,
      classes,
      nodes,
      pods,
      claimsApi: ctx.client.resource<PersistentVolumeClaim>(RESOURCES.persistentvolumeclaims),
      volumesApi: ctx.client.resource<PersistentVolume>(RESOURCES.persistentvolumes),
      podsApi: ctx.client.resource<Pod>(RESOURCES.pods),
      recorder: ctx.recorder,
      logger: ctx.logger.child({ controller: 'persistentvolume' }),
      localPathBase: ctx.options.localPathBase,
      helperImage: ctx.options.localPathHelperImage,
    });
    const add = (key: string): void => queue.add(key);
    const retryPending = (): void => c.pendingClaimKeys().forEach(add);
    const onClaim = (pvc: PersistentVolumeClaim): void => add(claimKey(pvc.metadata.namespace, pvc.metadata.name ?? ''));
    const onVolume = (pv: PersistentVolume): void => {
      add(volumeKey(pv.metadata.name ?? ''));
      const ref = pv.spec.claimRef;
      if (ref?.name) add(claimKey(ref.namespace, ref.name));
      retryPending();
    };
    claims.addHandlers({
      onAdd: onClaim,
      onUpdate: (_o, pvc) => onClaim(pvc),
      onDelete: (pvc) => {
        if (pvc.spec.volumeName) add(volumeKey(pvc.spec.volumeName));
        for (const pv of volumes.list()) if (pv.spec.claimRef?.uid === pvc.metadata.uid) add(volumeKey(pv.metadata.name ?? ''));
      },
    });
    volumes.addHandlers({ onAdd: onVolume, onUpdate: (_o, pv) => onVolume(pv), onDelete: onVolume });
    classes.addHandlers({ onAdd: retryPending, onUpdate: retryPending });
    nodes.addHandlers({ onAdd: retryPending, onUpdate: (o, n) => (isReady(o) !== isReady(n) || o.spec?.unschedulable !== n.spec?.unschedulable ? retryPending() : undefined) });
    const onPod = (pod: Pod): void => {
      const pv = pod.metadata.labels?.[HELPER_PV_LABEL];
      if (pv) add(volumeKey(pv));
    };
    pods.addHandlers({ onAdd: onPod, onUpdate: (_o, p) => onPod(p) });
    void ensureDefaultClass(ctx);
    void startWorkers(ctx, queue, (key) => c.sync(key));
  },
};
