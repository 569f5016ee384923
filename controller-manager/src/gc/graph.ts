/**
 * The garbage collector's view of ownership: every object of the monitored kinds, by item id
 * (`<plural>|<namespace>|<name>`), by uid, and by the uids its ownerReferences point at. Fed
 * only by informer handlers (`upsert`/`remove`), read by the collector's workers. It stores the
 * cached objects themselves (never mutated), so a lookup is always the informer's latest view.
 */
import type { KubeObject, OwnerReference } from '@mk8s/shared';

export interface GraphItem {
  id: string;
  plural: string;
  obj: KubeObject;
}

export const itemId = (plural: string, obj: KubeObject): string => `${plural}|${obj.metadata.namespace ?? ''}|${obj.metadata.name ?? ''}`;

export function splitItemId(id: string): { plural: string; namespace: string | undefined; name: string } {
  const [plural = '', namespace = '', name = ''] = id.split('|');
  return { plural, namespace: namespace || undefined, name };
}

export class OwnerGraph {
  private readonly items = new Map<string, GraphItem>();
  private readonly byUid = new Map<string, string>();
  /** owner uid -> ids of items whose ownerReferences name it */
  private readonly dependentsOf = new Map<string, Set<string>>();

  upsert(plural: string, obj: KubeObject): GraphItem {
    const id = itemId(plural, obj);
    const prev = this.items.get(id);
    if (prev) this.unlink(prev);
    const item = { id, plural, obj };
    this.items.set(id, item);
    if (obj.metadata.uid) this.byUid.set(obj.metadata.uid, id);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = this.dependentsOf.get(ref.uid);
      if (!set) this.dependentsOf.set(ref.uid, (set = new Set()));
      set.add(id);
    }
    return item;
  }

  remove(plural: string, obj: KubeObject): void {
    const item = this.items.get(itemId(plural, obj));
    if (!item) return;
    this.unlink(item);
    this.items.delete(item.id);
  }

  get(id: string): GraphItem | undefined {
    return this.items.get(id);
  }

  byUidOf(uid: string): GraphItem | undefined {
    const id = this.byUid.get(uid);
    return id ? this.items.get(id) : undefined;
  }

  /** Items whose ownerReferences name `uid` (in any namespace: callers check). */
  dependents(uid: string): GraphItem[] {
    const out: GraphItem[] = [];
    for (const id of this.dependentsOf.get(uid) ?? []) {
      const item = this.items.get(id);
      if (item) out.push(item);
    }
    return out;
  }

  /** Dependents whose reference to `owner` has blockOwnerDeletion (they hold a Foreground delete). */
  blockingDependents(owner: KubeObject): GraphItem[] {
    const uid = owner.metadata.uid ?? '';
    return this.dependents(uid).filter((d) => sameNamespace(owner, d.obj) && refTo(d.obj, uid)?.blockOwnerDeletion === true);
  }

  private unlink(item: GraphItem): void {
    const uid = item.obj.metadata.uid;
    if (uid && this.byUid.get(uid) === item.id) this.byUid.delete(uid);
    for (const ref of item.obj.metadata.ownerReferences ?? []) {
      const set = this.dependentsOf.get(ref.uid);
      set?.delete(item.id);
      if (set?.size === 0) this.dependentsOf.delete(ref.uid);
    }
  }
}

export function refTo(obj: KubeObject, ownerUid: string): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.uid === ownerUid);
}

/** An owner may only be in its dependent's namespace (or cluster-scoped). */
export function sameNamespace(owner: KubeObject, dependent: KubeObject): boolean {
  return !owner.metadata.namespace || owner.metadata.namespace === dependent.metadata.namespace;
}
