/**
 * Pod writes on behalf of an owning controller (k8s controller.PodControl with expectations):
 * expectations are raised before any write and lowered again for every write that did not
 * happen or failed, so the owner's next sync waits for exactly the writes that succeeded to
 * reach its cache. Each write is reported as an event on the owner (SuccessfulCreate,
 * FailedCreate, SuccessfulDelete, FailedDelete). Both return the first error, or undefined.
 */
import { isNotFound, keyOf, type EventRecorder, type KubeObject, type Pod, type ResourceApi } from '@mk8s/shared';
import type { Expectations } from './expectations.js';
import { slowStartBatch } from './slow-start.js';

export interface PodControl {
  pods: ResourceApi<Pod>;
  recorder: EventRecorder;
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Creates `n` pods (`podFor(i)`) in slow-start batches: 1, 2, 4, ... until one fails. */
export async function createPods(c: PodControl, owner: KubeObject, key: string, expectations: Expectations, n: number, podFor: (i: number) => Pod): Promise<unknown> {
  if (n <= 0) return undefined;
  expectations.expectCreations(key, n);
  const { successes, error } = await slowStartBatch(n, 1, async (i) => {
    const created = await c.pods.create(podFor(i));
    c.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
  });
  for (let i = successes; i < n; i++) expectations.creationObserved(key);
  if (error !== undefined) c.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
  return error;
}

/** Deletes `pods` in parallel, each only if it is still the pod it was (uid precondition). */
export async function deletePods(c: PodControl, owner: KubeObject, key: string, expectations: Expectations, pods: Pod[]): Promise<unknown> {
  if (pods.length === 0) return undefined;
  expectations.expectDeletions(key, pods.map(keyOf));
  let first: unknown;
  await Promise.all(
    pods.map(async (p) => {
      try {
        await c.pods.delete(p.metadata.namespace, p.metadata.name ?? '', { preconditions: { uid: p.metadata.uid } });
        c.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name ?? ''}`);
      } catch (err) {
        expectations.deletionObserved(key, keyOf(p));
        if (!isNotFound(err)) {
          first ??= err;
          c.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
        }
      }
    }),
  );
  return first;
}
