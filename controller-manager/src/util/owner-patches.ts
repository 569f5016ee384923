/**
 * The writes behind adoption and release, as merge patches of metadata.ownerReferences that
 * carry the child's cached resourceVersion as a precondition: if the child changed since the
 * cache saw it (another controller adopted it first), the apiserver answers 409 and the owner is
 * synced again from a fresher cache. `canAdoptCheck` re-reads the owner, bypassing the cache.
 */
import { type KubeObject, type OwnerReference, type ResourceApi } from '@mk8s/shared';

export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export function adoptPatch(child: KubeObject, ref: OwnerReference): object {
  const others = (child.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  return { metadata: { resourceVersion: child.metadata.resourceVersion, ownerReferences: [...others, ref] } };
}

export function releasePatch(child: KubeObject, ownerUid: string): object {
  const rest = (child.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  return { metadata: { resourceVersion: child.metadata.resourceVersion, ownerReferences: rest.length > 0 ? rest : null } };
}

export async function adoptChild<T extends KubeObject>(api: ResourceApi<T>, child: T, ref: OwnerReference): Promise<T> {
  return api.patch(child.metadata.namespace, child.metadata.name ?? '', adoptPatch(child, ref), 'merge');
}

export async function releaseChild<T extends KubeObject>(api: ResourceApi<T>, child: T, ownerUid: string): Promise<void> {
  await api.patch(child.metadata.namespace, child.metadata.name ?? '', releasePatch(child, ownerUid), 'merge');
}

/** Throws unless the owner, read fresh from the apiserver, has `uid` and is not being deleted. */
export async function canAdoptCheck(api: ResourceApi<KubeObject>, owner: KubeObject): Promise<void> {
  const fresh = await api.get(owner.metadata.namespace, owner.metadata.name ?? '');
  if (fresh.metadata.uid !== owner.metadata.uid) throw new Error(`original ${owner.kind ?? 'owner'} ${owner.metadata.name ?? ''} is gone: got uid ${fresh.metadata.uid ?? ''}, wanted ${owner.metadata.uid ?? ''}`);
  if (fresh.metadata.deletionTimestamp) throw new Error(`${owner.kind ?? 'owner'} ${owner.metadata.name ?? ''} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
}
