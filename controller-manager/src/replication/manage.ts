/**
 * manageReplicas: one create-or-delete round toward `spec.replicas` (k8s
 * ReplicaSetController.manageReplicas). Expectations are recorded before any write and lowered
 * for every write that did not happen or failed, so the next sync waits exactly for the writes
 * that succeeded to show up in the cache. Creates go in slow-start batches (1, 2, 4, ...);
 * deletes pick the least valuable pods first and run in parallel. At most `burst` writes a round.
 */
import { isNotFound, keyOf, type EventRecorder, type Logger, type Pod, type ResourceApi } from '@mk8s/shared';
import type { Expectations } from '../util/expectations.js';
import { podFromTemplate, podsToDelete } from '../util/pods.js';
import { slowStartBatch } from '../util/slow-start.js';
import type { KindAdapter, ReplicaOwner } from './adapter.js';
import type { ReplicaFailure } from './status.js';

export const BURST_REPLICAS = 500;

export interface ManageDeps {
  pods: ResourceApi<Pod>;
  expectations: Expectations;
  recorder: EventRecorder;
  logger: Logger;
  adapter: KindAdapter;
}

/** The pod a replica owner creates from its template (util/pods.ts podFromTemplate). */
export function podFromOwner(owner: ReplicaOwner, adapter: KindAdapter): Pod {
  const t = owner.spec.template;
  if (!t) throw new Error(`${adapter.kind} ${owner.metadata.name ?? ''} has no pod template`);
  return podFromTemplate(owner, t, adapter.apiVersion, adapter.kind);
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Returns the failure to report in status (undefined when every write succeeded). */
export async function manageReplicas(owner: ReplicaOwner, key: string, pods: Pod[], d: ManageDeps): Promise<ReplicaFailure | undefined> {
  const want = owner.spec.replicas ?? 1;
  const diff = pods.length - want;
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    d.expectations.expectCreations(key, n);
    d.logger.debug({ key, need: n, have: pods.length, want }, 'too few replicas; creating');
    const template = podFromOwner(owner, d.adapter);
    const { successes, error } = await slowStartBatch(n, 1, async () => {
      const created = await d.pods.create(structuredClone(template));
      d.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    });
    for (let i = successes; i < n; i++) d.expectations.creationObserved(key);
    if (error !== undefined) {
      d.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${message(error)}`);
      return { reason: 'FailedCreate', message: message(error) };
    }
    return undefined;
  }
  if (diff > 0) {
    const victims = podsToDelete(pods, Math.min(diff, BURST_REPLICAS));
    d.expectations.expectDeletions(key, victims.map(keyOf));
    d.logger.debug({ key, deleting: victims.length, have: pods.length, want }, 'too many replicas; deleting');
    let firstError: unknown;
    await Promise.all(
      victims.map(async (p) => {
        try {
          await d.pods.delete(p.metadata.namespace, p.metadata.name ?? '', { preconditions: { uid: p.metadata.uid } });
          d.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name ?? ''}`);
        } catch (err) {
          d.expectations.deletionObserved(key, keyOf(p));
          if (!isNotFound(err)) {
            firstError ??= err;
            d.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${message(err)}`);
          }
        }
      }),
    );
    if (firstError !== undefined) return { reason: 'FailedDelete', message: message(firstError) };
  }
  return undefined;
}
