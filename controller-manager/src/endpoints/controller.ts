/**
 * EndpointsController: keeps an Endpoints object, named after its Service, for every Service
 * with a selector. Handlers only enqueue service keys (a pod change enqueues the services whose
 * selector matches its old or new labels; a change to an Endpoints object enqueues its service,
 * so hand edits are reverted). `sync(key)` reads the caches, builds the subsets with
 * `computeSubsets`, and creates/updates the Endpoints only when they differ. A deleted Service's
 * Endpoints are deleted. Services without a selector keep user-managed Endpoints, and
 * `default/kubernetes` belongs to the apiserver: neither is ever touched.
 */
import {
  isNotFound,
  keyOf,
  selectorFromSet,
  splitKey,
  type Endpoints,
  type Logger,
  type Pod,
  type ResourceApi,
  type Service,
} from '@mk8s/shared';
import { computeSubsets } from './subsets.js';
import type { Lister } from '../util/lister.js';

export interface EndpointsControllerDeps {
  services: Lister<Service>;
  pods: Lister<Pod>;
  endpoints: Lister<Endpoints>;
  endpointsApi: ResourceApi<Endpoints>;
  logger: Logger;
  enqueue: (key: string) => void;
}

const APISERVER_ENDPOINTS = 'default/kubernetes';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

const hasSelector = (svc: Service): boolean => Object.keys(svc.spec.selector ?? {}).length > 0;

/** JSON with sorted keys, for order-insensitive comparison of API fragments. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)))
      : val,
  );
}

export function endpointsLabels(svc: Service): Record<string, string> {
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  return labels;
}

export class EndpointsController {
  constructor(private readonly d: EndpointsControllerDeps) {}

  onServiceChange = (svc: Service): void => this.d.enqueue(keyOf(svc));
  onServiceUpdate = (_old: Service, svc: Service): void => this.d.enqueue(keyOf(svc));

  onPodAdd = (pod: Pod): void => this.enqueueServicesFor(pod);
  onPodUpdate = (old: Pod, pod: Pod): void => {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    this.enqueueServicesFor(pod, old);
  };
  onPodDelete = (pod: Pod): void => this.enqueueServicesFor(pod);

  onEndpointsChange = (ep: Endpoints): void => {
    const svc = this.d.services.get(ep.metadata.namespace, ep.metadata.name ?? '');
    if (svc && hasSelector(svc)) this.d.enqueue(keyOf(ep));
  };
  onEndpointsUpdate = (_old: Endpoints, ep: Endpoints): void => this.onEndpointsChange(ep);

  /** Keys of cached Endpoints whose Service is gone (never the apiserver's own). */
  leftoverKeys(): string[] {
    return this.d.endpoints
      .list()
      .filter((ep) => !this.d.services.get(ep.metadata.namespace, ep.metadata.name ?? ''))
      .map((ep) => keyOf(ep))
      .filter((key) => key !== APISERVER_ENDPOINTS);
  }

  private enqueueServicesFor(pod: Pod, old?: Pod): void {
    for (const svc of this.d.services.list(pod.metadata.namespace)) {
      if (!hasSelector(svc)) continue;
      const sel = selectorFromSet(svc.spec.selector!);
      if (sel.matches(pod.metadata.labels) || (old && sel.matches(old.metadata.labels))) this.d.enqueue(keyOf(svc));
    }
  }

  async sync(key: string): Promise<void> {
    if (key === APISERVER_ENDPOINTS) return;
    const { namespace, name } = splitKey(key);
    const svc = this.d.services.get(namespace, name);
    const current = this.d.endpoints.get(namespace, name);
    if (!svc) {
      if (current) await this.deleteEndpoints(namespace, name);
      return;
    }
    if (!hasSelector(svc)) return;
    const sel = selectorFromSet(svc.spec.selector!);
    const pods = this.d.pods.list(namespace).filter((p) => sel.matches(p.metadata.labels));
    const subsets = computeSubsets(svc, pods);
    const labels = endpointsLabels(svc);
    if (current && canonical(current.subsets ?? []) === canonical(subsets) && canonical(current.metadata.labels ?? {}) === canonical(labels)) return;
    if (!current) {
      const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets };
      await this.d.endpointsApi.create(ep);
      this.d.logger.info({ service: key, subsets: subsets.length }, 'endpoints created');
      return;
    }
    const next: Endpoints = { ...current, metadata: { ...current.metadata, labels }, subsets };
    await this.d.endpointsApi.update(next);
    this.d.logger.debug({ service: key, subsets: subsets.length }, 'endpoints updated');
  }

  private async deleteEndpoints(namespace: string | undefined, name: string): Promise<void> {
    try {
      await this.d.endpointsApi.delete(namespace, name);
      this.d.logger.info({ endpoints: `${namespace}/${name}` }, 'endpoints of deleted service removed');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
