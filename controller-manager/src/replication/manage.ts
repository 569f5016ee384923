/**
 * manageReplicas: one create-or-delete round toward `spec.replicas` (k8s
 * ReplicaSetController.manageReplicas), through util/pod-control.ts (expectations, slow-start
 * creates, parallel deletes, events). Deletes pick the least valuable pods first. At most
 * BURST_REPLICAS writes a round.
 */
import type { EventRecorder, Logger, Pod, ResourceApi } from '@mk8s/shared';
import type { Expectations } from '../util/expectations.js';
import { podFromTemplate, podsToDelete } from '../util/pods.js';
import { createPods, deletePods, errorMessage } from '../util/pod-control.js';
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

/** Returns the failure to report in status (undefined when every write succeeded). */
export async function manageReplicas(owner: ReplicaOwner, key: string, pods: Pod[], d: ManageDeps): Promise<ReplicaFailure | undefined> {
  const want = owner.spec.replicas ?? 1;
  const diff = pods.length - want;
  const control = { pods: d.pods, recorder: d.recorder };
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    d.logger.debug({ key, need: n, have: pods.length, want }, 'too few replicas; creating');
    const template = podFromOwner(owner, d.adapter);
    const error = await createPods(control, owner, key, d.expectations, n, () => structuredClone(template));
    return error === undefined ? undefined : { reason: 'FailedCreate', message: errorMessage(error) };
  }
  if (diff > 0) {
    const victims = podsToDelete(pods, Math.min(diff, BURST_REPLICAS));
    d.logger.debug({ key, deleting: victims.length, have: pods.length, want }, 'too many replicas; deleting');
    const error = await deletePods(control, owner, key, d.expectations, victims);
    if (error !== undefined) return { reason: 'FailedDelete', message: errorMessage(error) };
  }
  return undefined;
}
