/**
 * Claiming children for an owner (k8s ControllerRefManager): given the candidate children in the
 * owner's namespace, keep those the owner controls and its selector matches, adopt matching
 * orphans (only after `canAdopt` has confirmed, once, against the apiserver that the owner still
 * exists with this uid and is not being deleted), and release owned children whose labels no
 * longer match. Children controlled by someone else, and orphans being deleted, are left alone.
 * `adopt`/`release` do the writes (see owner-patches.ts); a NotFound child is simply skipped.
 * Returns the claimed children (adopted ones as the apiserver returned them) and the first error.
 */
import { isNotFound, type KubeObject, type Selector } from '@mk8s/shared';
import { controllerRefOf } from './pods.js';

export interface ClaimOps<T extends KubeObject> {
  /** resolves when the owner may adopt (fresh read of the owner); throws otherwise */
  canAdopt(): Promise<void>;
  adopt(child: T): Promise<T>;
  release(child: T): Promise<void>;
}

export type ClaimDecision = 'claim' | 'adopt' | 'release' | 'ignore';

/** The pure part: what to do with one child. */
export function claimDecision(owner: KubeObject, selector: Selector, child: KubeObject): ClaimDecision {
  const ref = controllerRefOf(child);
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  const matches = selector.matches(child.metadata.labels);
  if (ref) {
    if (ref.uid !== owner.metadata.uid) return 'ignore';
    if (matches) return 'claim';
    return ownerDeleting ? 'ignore' : 'release';
  }
  if (ownerDeleting || !matches || child.metadata.deletionTimestamp) return 'ignore';
  return 'adopt';
}

export async function claimChildren<T extends KubeObject>(owner: KubeObject, selector: Selector, children: T[], ops: ClaimOps<T>): Promise<{ claimed: T[]; error?: unknown }> {
  const claimed: T[] = [];
  let error: unknown;
  let adoptable: Promise<void> | undefined;
  for (const child of children) {
    const decision = claimDecision(owner, selector, child);
    try {
      if (decision === 'claim') claimed.push(child);
      else if (decision === 'release') await ops.release(child);
      else if (decision === 'adopt') {
        adoptable ??= ops.canAdopt();
        await adoptable;
        claimed.push(await ops.adopt(child));
      }
    } catch (err) {
      if (!isNotFound(err)) error ??= err;
    }
  }
  return error === undefined ? { claimed } : { claimed, error };
}
