/**
 * Deletion as Kubernetes does it. An object with finalizers (or a Foreground/Orphan
 * propagation policy, which add the `foregroundDeletion`/`orphan` finalizer) is only marked:
 * `deletionTimestamp` is set and the garbage collector or the finalizer's owner finishes the
 * job. A pod bound to a node is deleted gracefully: it is marked with the grace period and
 * the kubelet removes it after stopping its containers. Everything else goes at once.
 */
import {
  ApiError,
  newConflict,
  newNotFound,
  type DeleteOptions,
  type KubeObject,
  type Pod,
} from '@mk8s/shared';
import { now } from './meta.js';
import type { Registry } from './registry.js';
import type { ResourceDef, WriteContext } from './resource-def.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

export interface DeleteResult {
  obj: KubeObject;
  /** false when the object stays, marked for deletion */
  removed: boolean;
}

/** The grace period a delete gets: the request's, else the kind's default. */
export function gracePeriodFor(def: ResourceDef, obj: KubeObject, opts: DeleteOptions): number {
  if (def.kind !== 'Pod') return 0;
  const pod = obj as Pod;
  if (!pod.spec?.nodeName) return 0;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
  const requested = opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, requested);
}

function finalizerFor(opts: DeleteOptions): string | undefined {
  const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? 'Orphan' : undefined);
  if (policy === 'Foreground') return FOREGROUND_FINALIZER;
  if (policy === 'Orphan') return ORPHAN_FINALIZER;
  return undefined;
}

export async function deleteObject(
  registry: Registry,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  opts: DeleteOptions,
  ctx: WriteContext,
): Promise<DeleteResult> {
  if (opts.propagationPolicy && !['Foreground', 'Background', 'Orphan'].includes(opts.propagationPolicy)) {
    throw new ApiError(422, 'Invalid', `propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (opts.gracePeriodSeconds !== undefined && (typeof opts.gracePeriodSeconds !== 'number' || opts.gracePeriodSeconds < 0)) {
    throw new ApiError(422, 'Invalid', 'gracePeriodSeconds: Invalid value: must be greater than or equal to 0');
  }
  const key = registry.key(def, namespace, name);
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await registry.store.get(key);
    if (!current) throw newNotFound(def.plural, def.group, name);
    const obj = current.obj;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw newConflict(def.plural, def.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw newConflict(def.plural, def.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
    }
    const next = structuredClone(obj);
    const m = next.metadata;
    const finalizer = finalizerFor(opts);
    const finalizers = new Set(m.finalizers ?? []);
    if (finalizer && !m.deletionTimestamp) {
      finalizers.delete(finalizer === FOREGROUND_FINALIZER ? ORPHAN_FINALIZER : FOREGROUND_FINALIZER);
      finalizers.add(finalizer);
    }
    const grace = gracePeriodFor(def, obj, opts);
    const extraBlock = def.kind === 'Namespace' && ((next as { spec?: { finalizers?: string[] } }).spec?.finalizers?.length ?? 0) > 0;
    if (m.deletionTimestamp) {
      // Already being deleted: only a shorter grace period changes anything.
      const pending = m.deletionGracePeriodSeconds ?? 0;
      if (grace >= pending || finalizers.size || extraBlock) {
        if (grace < pending) {
          m.deletionGracePeriodSeconds = grace;
          if (!ctx.dryRun && !(await registry.store.update(key, next, current.rev))) continue;
        }
        return { obj: next, removed: false };
      }
    } else if (grace > 0 || finalizers.size || extraBlock) {
      m.deletionTimestamp = grace > 0 ? new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z') : now();
      m.deletionGracePeriodSeconds = grace;
      if (finalizers.size) m.finalizers = [...finalizers];
      if (def.kind === 'Namespace') (next as { status?: { phase?: string } }).status = { ...(next as { status?: object }).status, phase: 'Terminating' };
      if (ctx.dryRun) return { obj: next, removed: false };
      const stored = await registry.store.update(key, next, current.rev);
      if (!stored) continue;
      return { obj: stored.obj, removed: false };
    }
    if (ctx.dryRun) return { obj, removed: true };
    if (await registry.removeNow(def, obj, current.rev)) return { obj, removed: true };
  }
  throw newConflict(def.plural, def.group, name, 'too many concurrent writes; please try again');
}
