/**
 * InformerFactory: one informer per (resource, namespace, label selector, field selector),
 * shared by every controller in a process so each resource is listed and watched once
 * (client-go's SharedInformerFactory). Ask for informers, add handlers, then `start()`;
 * informers asked for after `start()` start at once. `waitForSync()` waits for all of them.
 */
import type { KubeObject } from './api/meta.js';
import type { ResourceType } from './api/resources.js';
import type { ApiClient } from './client/types.js';
import { Informer, type InformerOptions } from './informer.js';

export type InformerScope = Pick<InformerOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>;
export type InformerDefaults = Omit<InformerOptions, keyof InformerScope>;

export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    private readonly client: ApiClient,
    private readonly defaults: InformerDefaults = {},
  ) {}

  informerFor<T extends KubeObject>(type: ResourceType, scope: InformerScope = {}): Informer<T> {
    const key = [type.group, type.plural, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<KubeObject>(this.client.resource<KubeObject>(type), { ...this.defaults, ...scope });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  waitForSync(): Promise<void> {
    return Promise.all([...this.informers.values()].map((i) => i.waitForSync())).then(() => undefined);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
