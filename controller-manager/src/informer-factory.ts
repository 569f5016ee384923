/**
 * The controller-manager's informer factory: one shared `Informer` per resource type and scope
 * (namespace, label selector, field selector), so two controllers watching pods share one
 * list+watch and one cache. Ask with `get()` (the same instance for the same type+scope), add
 * handlers, then the manager calls `start()` and `waitForSync()`; informers asked for after
 * `start()` start at once. `stop()` ends every watch. A thin layer over shared's factory that
 * fixes the logger and backoff used by every informer in this process.
 */
import { InformerFactory as SharedInformerFactory, type ApiClient, type Informer, type InformerScope, type KubeObject, type Logger, type ResourceType } from '@mk8s/shared';

export type { InformerScope };

export class InformerFactory {
  private readonly inner: SharedInformerFactory;

  constructor(client: ApiClient, logger: Logger) {
    this.inner = new SharedInformerFactory(client, { logger });
  }

  get<T extends KubeObject>(type: ResourceType, opts: InformerScope = {}): Informer<T> {
    return this.inner.informerFor<T>(type, opts);
  }

  start(): void {
    this.inner.start();
  }

  hasSynced(): boolean {
    return this.inner.hasSynced();
  }

  waitForSync(): Promise<void> {
    return this.inner.waitForSync();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
