/**
 * One object of a fixed name in every live namespace, kept as wanted: the shape of Kubernetes'
 * serviceaccounts-controller (a `default` ServiceAccount per namespace) and
 * root-ca-cert-publisher (the `kube-root-ca.crt` ConfigMap). `sync(namespace)` is
 * level-triggered: it reads the namespace and the object from the informer caches, creates the
 * object when it is missing and replaces it when `wanted` says it has drifted. A namespace that
 * is gone or terminating is left alone (a create there would be refused, and would hold up the
 * namespace's deletion). A conflict or any other error is thrown, so the queue retries.
 */
import { isAlreadyExists, isNamespaceTerminating, isNotFound, type KubeObject, type Logger, type Namespace, type ResourceApi } from '@mk8s/shared';
import type { Lister } from '../util/lister.js';

export interface NamespaceObjectOptions<T extends KubeObject> {
  /** the object's name in every namespace */
  name: string;
  namespaces: Lister<Namespace>;
  objects: Lister<T>;
  api: ResourceApi<T>;
  /** the object to create in `namespace` */
  build(namespace: string): T;
  /** the object to write instead of `current`, or undefined when `current` is as wanted */
  repair?(current: T): T | undefined;
  logger: Logger;
}

const isTerminating = (ns: Namespace): boolean => !!ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating';

export class NamespaceObjectController<T extends KubeObject> {
  constructor(private readonly o: NamespaceObjectOptions<T>) {}

  /** The namespace to sync when this object changes: only objects of our name count. */
  namespaceOf = (obj: T): string | undefined => (obj.metadata.name === this.o.name ? obj.metadata.namespace : undefined);

  async sync(namespace: string): Promise<void> {
    const ns = this.o.namespaces.get(undefined, namespace);
    if (!ns || isTerminating(ns)) return;
    const current = this.o.objects.get(namespace, this.o.name);
    if (!current) {
      try {
        await this.o.api.create(this.o.build(namespace));
        this.o.logger.info({ namespace, name: this.o.name }, 'created');
      } catch (err) {
        // AlreadyExists: the cache lags our own or someone's create; NotFound: the namespace just went
        if (!isAlreadyExists(err) && !isNotFound(err) && !isNamespaceTerminating(err)) throw err;
      }
      return;
    }
    const repaired = this.o.repair?.(current);
    if (!repaired) return;
    try {
      await this.o.api.update(repaired);
      this.o.logger.info({ namespace, name: this.o.name }, 'restored');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
