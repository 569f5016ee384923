/**
 * NamespaceController: empties a namespace that is being deleted, then finalizes it. For a
 * namespace with deletionTimestamp and the `kubernetes` finalizer, `sync(name)` deletes every
 * object of every namespaced kind in it (live lists, not caches; pods on nodes are deleted
 * gracefully so their kubelets stop the containers), counts what is left, reports it in the
 * NamespaceContentRemaining condition and, while anything remains, asks to be requeued with a
 * growing delay. When nothing is left it PUTs `/namespaces/<name>/finalize` without the
 * `kubernetes` finalizer; the apiserver then removes the namespace.
 */
import {
  ApiError,
  isNotFound,
  qualifiedResource,
  type ApiClient,
  type KubeObject,
  type Logger,
  type Namespace,
  type ResourceApi,
  type ResourceType,
} from '@mk8s/shared';
import { contentRemainingCondition, deletionOrder, finalizersAfter, needsFinalizing, withCondition } from './content.js';

export interface NamespaceControllerDeps {
  namespaces: { get(namespace: string | undefined, name: string): Namespace | undefined };
  namespaceApi: ResourceApi<Namespace>;
  client: ApiClient;
  logger: Logger;
  types?: ResourceType[];
  now?: () => number;
}

export type SyncResult = { done: true } | { done: false; remaining: number };

/** A kind the apiserver does not list (404/405) has nothing to delete. */
const notServed = (err: unknown): boolean => isNotFound(err) || (err instanceof ApiError && err.code === 405);

export class NamespaceController {
  private readonly types: ResourceType[];
  private readonly now: () => number;

  constructor(private readonly d: NamespaceControllerDeps) {
    this.types = deletionOrder(d.types);
    this.now = d.now ?? Date.now;
  }

  async sync(name: string): Promise<SyncResult> {
    const ns = this.d.namespaces.get(undefined, name);
    if (!ns || !needsFinalizing(ns)) return { done: true };
    const remaining = new Map<string, number>();
    let total = 0;
    for (const type of this.types) {
      const left = await this.deleteAllOf(type, name);
      if (left > 0) remaining.set(qualifiedResource(type.plural, type.group), left);
      total += left;
    }
    await this.writeCondition(ns, remaining);
    if (total > 0) {
      this.d.logger.info({ namespace: name, remaining: Object.fromEntries(remaining) }, 'namespace content remaining');
      return { done: false, remaining: total };
    }
    const body: Namespace = { ...ns, metadata: { ...ns.metadata, resourceVersion: undefined }, spec: { ...ns.spec, finalizers: finalizersAfter(ns) } };
    try {
      await this.d.namespaceApi.update(body, { subresource: 'finalize' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.d.logger.info({ namespace: name }, 'namespace finalized');
    return { done: true };
  }

  /** Deletes what is not yet being deleted; returns how many objects are still there afterwards. */
  private async deleteAllOf(type: ResourceType, namespace: string): Promise<number> {
    const api = this.d.client.resource<KubeObject>(type);
    let items: KubeObject[];
    try {
      items = (await api.list(namespace)).items;
    } catch (err) {
      if (notServed(err)) return 0;
      throw err;
    }
    if (items.length === 0) return 0;
    for (const item of items) {
      if (item.metadata.deletionTimestamp) continue;
      try {
        await api.delete(namespace, item.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: item.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err) && !(err instanceof ApiError && err.code === 409)) throw err;
      }
    }
    return (await api.list(namespace)).items.length;
  }

  private async writeCondition(ns: Namespace, remaining: Map<string, number>): Promise<void> {
    const conditions = withCondition(ns, contentRemainingCondition(remaining, new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')));
    if (!conditions) return;
    try {
      await this.d.namespaceApi.updateStatus({ ...ns, metadata: { ...ns.metadata, resourceVersion: undefined }, status: { ...ns.status, conditions } });
    } catch (err) {
      this.d.logger.debug({ err, namespace: ns.metadata.name }, 'namespace condition not written');
    }
  }
}
