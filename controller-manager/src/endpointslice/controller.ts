/**
 * EndpointSliceController: keeps the discovery.k8s.io/v1 EndpointSlices of every Service with
 * a selector (kubernetes pkg/controller/endpointslice). Handlers only enqueue service keys: a
 * service change its own key, a pod change the services selecting its old or new labels, a
 * change to a slice managed by this controller the service named by its
 * `kubernetes.io/service-name` label (so hand edits are reverted). `sync(key)` reads the
 * caches, computes the desired endpoints (`desiredGroups`), plans the writes
 * (`reconcileSlices`) and applies them: deletes last, so endpoints never vanish before their
 * replacements exist. A sync whose slice cache lags this controller's own writes waits (the
 * informer event requeues it). Services without a selector are left alone (their slices are
 * user-managed); ExternalName services and deleted services lose their managed slices (mk8s's
 * garbage collector does not watch slices, so the controller removes them itself).
 */
import {
  ENDPOINTSLICE_CONTROLLER_NAME,
  isNotFound,
  keyFor,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  selectorFromSet,
  splitKey,
  type EndpointSlice,
  type Logger,
  type Pod,
  type ResourceApi,
  type Service,
} from '@mk8s/shared';
import type { Lister } from '../util/lister.js';
import { desiredGroups } from './desired.js';
import { reconcileSlices } from './reconcile.js';
import { SliceTracker } from './tracker.js';

export interface EndpointSliceControllerDeps {
  services: Lister<Service>;
  pods: Lister<Pod>;
  /** slices managed by this controller (the informer may hold others; they are ignored) */
  slices: Lister<EndpointSlice>;
  slicesApi: ResourceApi<EndpointSlice>;
  logger: Logger;
  enqueue: (key: string) => void;
  /** requeue later (used while the slice cache catches up with our writes) */
  enqueueAfter: (key: string, ms: number) => void;
  maxEndpointsPerSlice: number;
  tracker?: SliceTracker;
}

const STALE_RETRY_MS = 1_000;

const hasSelector = (svc: Service): boolean => Object.keys(svc.spec.selector ?? {}).length > 0;

export const isManaged = (slice: EndpointSlice): boolean => slice.metadata.labels?.[LABEL_MANAGED_BY] === ENDPOINTSLICE_CONTROLLER_NAME;

/** The `namespace/name` of the service a managed slice belongs to, if any. */
export function serviceKeyOf(slice: EndpointSlice): string | undefined {
  const svc = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return svc && isManaged(slice) ? keyFor(slice.metadata.namespace, svc) : undefined;
}

export class EndpointSliceController {
  private readonly tracker: SliceTracker;

  constructor(private readonly d: EndpointSliceControllerDeps) {
    this.tracker = d.tracker ?? new SliceTracker();
  }

  onServiceChange = (svc: Service): void => this.d.enqueue(keyFor(svc.metadata.namespace, svc.metadata.name ?? ''));
  onServiceUpdate = (_old: Service, svc: Service): void => this.onServiceChange(svc);
  onPodAdd = (pod: Pod): void => this.enqueueServicesFor(pod);
  onPodUpdate = (old: Pod, pod: Pod): void => {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    this.enqueueServicesFor(pod, old);
  };
  onPodDelete = (pod: Pod): void => this.enqueueServicesFor(pod);
  onSliceChange = (slice: EndpointSlice): void => {
    const key = serviceKeyOf(slice);
    if (key) this.d.enqueue(key);
  };
  onSliceUpdate = (old: EndpointSlice, slice: EndpointSlice): void => {
    this.onSliceChange(slice);
    if (serviceKeyOf(old) !== serviceKeyOf(slice)) this.onSliceChange(old);
  };
  onSliceDelete = (slice: EndpointSlice): void => {
    const key = serviceKeyOf(slice);
    if (!key) return;
    this.tracker.forget(key, slice.metadata.name ?? '');
    this.d.enqueue(key);
  };

  private enqueueServicesFor(pod: Pod, old?: Pod): void {
    for (const svc of this.d.services.list(pod.metadata.namespace)) {
      if (!hasSelector(svc)) continue;
      const sel = selectorFromSet(svc.spec.selector!);
      if (sel.matches(pod.metadata.labels) || (old && sel.matches(old.metadata.labels))) this.onServiceChange(svc);
    }
  }

  private slicesOf(namespace: string | undefined, name: string): EndpointSlice[] {
    return this.d.slices.list(namespace).filter((s) => isManaged(s) && s.metadata.labels?.[LABEL_SERVICE_NAME] === name);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.d.services.get(namespace, name);
    const existing = this.slicesOf(namespace, name);
    if (!svc || svc.spec.type === 'ExternalName') {
      if (!svc) this.tracker.forgetService(key);
      for (const slice of existing) await this.deleteSlice(key, slice);
      return;
    }
    if (!hasSelector(svc)) return;
    if (this.tracker.isStale(key, existing)) {
      this.d.logger.debug({ service: key }, 'slice cache behind our writes; waiting');
      this.d.enqueueAfter(key, STALE_RETRY_MS);
      return;
    }
    const sel = selectorFromSet(svc.spec.selector!);
    const pods = this.d.pods.list(namespace).filter((p) => sel.matches(p.metadata.labels));
    const plan = reconcileSlices({ service: svc, desired: desiredGroups(svc, pods), existing, maxEndpointsPerSlice: this.d.maxEndpointsPerSlice });
    if (plan.create.length + plan.update.length + plan.delete.length === 0) return;
    const deleting = Boolean(svc.metadata.deletionTimestamp);
    if (!deleting) {
      for (const slice of plan.create) {
        const created = await this.d.slicesApi.create(slice);
        this.tracker.expectWrite(key, created);
        this.d.logger.info({ service: key, slice: created.metadata.name, endpoints: created.endpoints?.length ?? 0 }, 'endpoint slice created');
      }
    }
    for (const slice of plan.update) {
      const updated = await this.d.slicesApi.update(slice);
      this.tracker.expectWrite(key, updated);
      this.d.logger.debug({ service: key, slice: updated.metadata.name, endpoints: updated.endpoints?.length ?? 0 }, 'endpoint slice updated');
    }
    for (const slice of plan.delete) await this.deleteSlice(key, slice);
  }

  private async deleteSlice(serviceKey: string, slice: EndpointSlice): Promise<void> {
    const name = slice.metadata.name ?? '';
    try {
      await this.d.slicesApi.delete(slice.metadata.namespace, name);
      this.tracker.expectDeletion(serviceKey, name);
      this.d.logger.info({ service: serviceKey, slice: name }, 'endpoint slice deleted');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
