/**
 * MapLister: an in-memory `Lister` (lister.ts) for unit tests of controllers, standing in for an informer
 * cache that the test fills (and changes) by hand, so a test decides exactly what the controller
 * has "seen" at each step.
 */
import { keyFor, type KubeObject } from '@mk8s/shared';

export class MapLister<T extends KubeObject> {
  private readonly items = new Map<string, T>();

  constructor(objs: T[] = []) {
    for (const o of objs) this.set(o);
  }

  set(o: T): void {
    this.items.set(keyFor(o.metadata.namespace, o.metadata.name ?? ''), o);
  }

  remove(o: T): void {
    this.items.delete(keyFor(o.metadata.namespace, o.metadata.name ?? ''));
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(keyFor(namespace, name));
  }

  list(namespace?: string): T[] {
    const all = [...this.items.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  /**
   * Makes the lister hold `items` as an informer would after a watch caught up, telling the
   * handlers what changed: deletes for objects gone from `items`, then adds and updates.
   */
  catchUp(items: T[], h: { onAdd(o: T): void; onUpdate(old: T, o: T): void; onDelete(o: T): void }): void {
    for (const o of this.list()) {
      if (!items.some((i) => i.metadata.uid === o.metadata.uid)) {
        this.remove(o);
        h.onDelete(o);
      }
    }
    for (const o of items) {
      const old = this.get(o.metadata.namespace, o.metadata.name ?? '');
      this.set(o);
      if (old) h.onUpdate(old, o);
      else h.onAdd(o);
    }
  }
}
