/**
 * The garbage collector's decisions as pure functions (kubernetes
 * pkg/controller/garbagecollector: attemptToDeleteItem, processDeletingDependentsItem,
 * orphanDependents). Owners of a dependent are classified as
 * - solid: exists, same uid, same namespace, not waiting on a Foreground delete;
 * - dangling: gone, replaced by another object of the same name (uid differs), or in another
 *   namespace (a cross-namespace reference counts as absent);
 * - waiting: being deleted in the foreground (`foregroundDeletion` finalizer).
 * A dependent with a solid owner stays (references to dangling/waiting owners are removed); one
 * without is deleted, in the foreground when a waiting owner needs its own dependents gone first.
 */
import type { KubeObject, OwnerReference, PropagationPolicy } from '@mk8s/shared';
import { sameNamespace } from './graph.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

export type OwnerState = 'solid' | 'dangling' | 'waiting';

export interface ClassifiedOwners {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waiting: OwnerReference[];
}

export const hasFinalizer = (obj: KubeObject, f: string): boolean => obj.metadata.finalizers?.includes(f) ?? false;
export const isBeingDeleted = (obj: KubeObject): boolean => !!obj.metadata.deletionTimestamp;
export const isDeletingDependents = (obj: KubeObject): boolean => isBeingDeleted(obj) && hasFinalizer(obj, FOREGROUND_FINALIZER);

/** The state of the owner `ref` names, given the object found under its name (or nothing). */
export function ownerState(ref: OwnerReference, found: KubeObject | undefined, dependent: KubeObject): OwnerState {
  if (!found || found.metadata.uid !== ref.uid || !sameNamespace(found, dependent)) return 'dangling';
  return isDeletingDependents(found) ? 'waiting' : 'solid';
}

export function classify(refs: OwnerReference[], stateOf: (ref: OwnerReference) => OwnerState): ClassifiedOwners {
  const out: ClassifiedOwners = { solid: [], dangling: [], waiting: [] };
  for (const ref of refs) out[stateOf(ref)].push(ref);
  return out;
}

export type DependentAction =
  | { action: 'none' }
  | { action: 'removeRefs'; uids: string[] }
  | { action: 'delete'; policy: PropagationPolicy; unblockFirst: boolean };

export interface DependentFacts {
  /** the dependent itself has dependents in the graph */
  hasDependents: boolean;
  /** one of its dependents is itself deleting its dependents (a foreground cycle) */
  dependentIsDeletingDependents: boolean;
}

/** What to do with a dependent that is not being deleted itself. */
export function decideDependent(dep: KubeObject, owners: ClassifiedOwners, facts: DependentFacts): DependentAction {
  if ((dep.metadata.ownerReferences?.length ?? 0) === 0) return { action: 'none' };
  if (owners.solid.length > 0) {
    const uids = [...owners.dangling, ...owners.waiting].map((r) => r.uid);
    return uids.length === 0 ? { action: 'none' } : { action: 'removeRefs', uids };
  }
  if (owners.waiting.length > 0 && facts.hasDependents) {
    // Foreground all the way down; a cycle is broken by unblocking our own references first, so
    // the waiting owner no longer waits on us.
    return { action: 'delete', policy: 'Foreground', unblockFirst: facts.dependentIsDeletingDependents };
  }
  const policy: PropagationPolicy = hasFinalizer(dep, ORPHAN_FINALIZER) ? 'Orphan' : hasFinalizer(dep, FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
  return { action: 'delete', policy, unblockFirst: false };
}

export type OwnerAction = 'orphanDependents' | 'deleteDependents' | 'none';

/** What to do with an object that is itself being deleted. */
export function decideDeletingOwner(obj: KubeObject): OwnerAction {
  if (!isBeingDeleted(obj)) return 'none';
  if (hasFinalizer(obj, ORPHAN_FINALIZER)) return 'orphanDependents';
  if (hasFinalizer(obj, FOREGROUND_FINALIZER)) return 'deleteDependents';
  return 'none';
}

/** A merge patch that removes one finalizer, guarded by the object's resourceVersion. */
export function removeFinalizerPatch(obj: KubeObject, finalizer: string): object {
  const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  return { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: rest.length > 0 ? rest : null } };
}

/** A merge patch that drops the references to `uids`, guarded by resourceVersion. */
export function removeRefsPatch(obj: KubeObject, uids: string[]): object {
  const rest = (obj.metadata.ownerReferences ?? []).filter((r) => !uids.includes(r.uid));
  return { metadata: { resourceVersion: obj.metadata.resourceVersion, ownerReferences: rest.length > 0 ? rest : null } };
}

/** A merge patch setting blockOwnerDeletion=false on every reference. */
export function unblockRefsPatch(obj: KubeObject): object {
  const refs = (obj.metadata.ownerReferences ?? []).map((r) => (r.blockOwnerDeletion ? { ...r, blockOwnerDeletion: false } : r));
  return { metadata: { resourceVersion: obj.metadata.resourceVersion, ownerReferences: refs } };
}
