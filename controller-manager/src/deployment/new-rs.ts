/**
 * Finding or creating the new ReplicaSet of a deployment (k8s sync.go getNewReplicaSet): an
 * existing one gets its revision raised and minReadySeconds synced; otherwise (when asked) one is
 * created named `<deployment>-<pod-template-hash>` with the hash on its selector, template and
 * labels. A name collision with a ReplicaSet that is not ours bumps status.collisionCount and
 * fails the sync (the next one hashes differently); AlreadyExists for our own identical
 * ReplicaSet (cache lag) just adopts the existing object. The deployment's revision annotation
 * follows the new ReplicaSet's.
 */
import { isAlreadyExists, type Deployment, type ReplicaSet } from '@mk8s/shared';
import { controllerRef } from '../util/owner-patches.js';
import { controllerRefOf } from '../util/pods.js';
import { newReplicaSetAnnotations } from './annotations.js';
import { FAILED_RS_CREATE, FOUND_NEW_RS, getCondition, hasProgressDeadline, newCondition, NEW_RS_CREATED, setCondition } from './conditions.js';
import { computeHash, templatesEqualIgnoringHash } from './hash.js';
import { newRSNewReplicas } from './replica-math.js';
import { maxRevision, POD_TEMPLATE_HASH, REVISION, revisionOf, sumSpecReplicas, templateWithHash } from './rs-util.js';
import type { SyncContext } from './sync-context.js';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function getNewReplicaSet(s: SyncContext, existing: ReplicaSet | undefined, oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
  const d = s.d;
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    let rs = existing;
    const annotations = newReplicaSetAnnotations(d, rs, newRevision, true);
    const minReady = d.spec.minReadySeconds ?? 0;
    if (annotations || (rs.spec.minReadySeconds ?? 0) !== minReady) {
      rs = await s.rsApi.update({ ...rs, metadata: { ...rs.metadata, annotations: annotations ?? rs.metadata.annotations }, spec: { ...rs.spec, minReadySeconds: minReady } });
    }
    await s.setRevision(String(revisionOf(rs)));
    if (hasProgressDeadline(s.d) && !getCondition(s.d.status, 'Progressing')) {
      await s.writeStatus(setCondition(s.d.status ?? {}, newCondition('Progressing', 'True', FOUND_NEW_RS, `Found new replica set "${rs.metadata.name ?? ''}"`, s.now())));
    }
    return rs;
  }
  if (!create) return undefined;

  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  const template = templateWithHash(d.spec.template, hash);
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH]: hash };
  const name = `${d.metadata.name ?? ''}-${hash}`;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: d.metadata.namespace, labels: { ...template.metadata?.labels }, ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')] },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  rs.spec.replicas = newRSNewReplicas(d, sumSpecReplicas(oldRSs), 0);
  rs.metadata.annotations = newReplicaSetAnnotations(d, rs, newRevision, false) ?? {};

  let created: ReplicaSet;
  let alreadyExisted = false;
  try {
    created = await s.rsApi.create(rs);
  } catch (err) {
    if (!isAlreadyExists(err)) {
      const msg = `Failed to create new replica set "${name}": ${message(err)}`;
      s.recorder.event(d, 'Warning', FAILED_RS_CREATE, msg);
      if (hasProgressDeadline(d)) await s.writeStatus(setCondition(d.status ?? {}, newCondition('Progressing', 'False', FAILED_RS_CREATE, msg, s.now())));
      throw err;
    }
    const found = s.replicaSets.get(d.metadata.namespace, name) ?? (await s.rsApi.get(d.metadata.namespace, name));
    const ours = controllerRefOf(found)?.uid === d.metadata.uid && found.spec.template && templatesEqualIgnoringHash(found.spec.template, d.spec.template);
    if (!ours) {
      const collisionCount = (d.status?.collisionCount ?? 0) + 1;
      await s.writeStatus({ ...(d.status ?? {}), collisionCount });
      throw new Error(`found a hash collision for deployment "${d.metadata.name ?? ''}" (ReplicaSet ${name}); bumped collisionCount to ${collisionCount}`);
    }
    created = found;
    alreadyExisted = true;
  }
  if (!alreadyExisted && (created.spec.replicas ?? 0) > 0) {
    s.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} to ${created.spec.replicas ?? 0}`);
  }
  await s.setRevision(created.metadata.annotations?.[REVISION] ?? String(newRevision));
  if (!alreadyExisted && hasProgressDeadline(s.d)) {
    await s.writeStatus(setCondition(s.d.status ?? {}, newCondition('Progressing', 'True', NEW_RS_CREATED, `Created new replica set "${name}"`, s.now())));
  }
  return created;
}
