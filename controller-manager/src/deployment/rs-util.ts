/**
 * ReplicaSet helpers for the deployment controller: the revision and replicas annotations,
 * sums over lists, the orders Kubernetes uses (by creation, by revision, by size), finding the
 * new ReplicaSet (the oldest whose template equals the deployment's, ignoring the
 * pod-template-hash label) and the one to scale when a single ReplicaSet is active.
 */
import type { Deployment, PodTemplateSpec, ReplicaSet } from '@mk8s/shared';
import { templatesEqualIgnoringHash } from './hash.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
export const POD_TEMPLATE_HASH = 'pod-template-hash';

export const specReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 0;

export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const v = Number(obj.metadata.annotations?.[REVISION] ?? '0');
  return Number.isInteger(v) && v >= 0 ? v : 0;
}

export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const raw = rs.metadata.annotations?.[key];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  return Number.isInteger(v) ? v : undefined;
}

export const sumSpecReplicas = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumStatus = (rss: ReplicaSet[], f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number =>
  rss.reduce((n, rs) => n + (rs.status?.[f] ?? 0), 0);
/**
 * Available replicas a rollout may count on: status.availableReplicas, but never more than
 * spec.replicas. Right after a ReplicaSet is scaled down its status still counts the pods being
 * deleted; trusting it would let the next step take away more than maxUnavailable allows.
 */
export const availableOf = (rs: ReplicaSet): number => Math.min(specReplicas(rs), rs.status?.availableReplicas ?? 0);
export const sumAvailable = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + availableOf(rs), 0);
export const activeReplicaSets = (rss: ReplicaSet[]): ReplicaSet[] => rss.filter((rs) => specReplicas(rs) > 0);

const created = (rs: ReplicaSet): number => (rs.metadata.creationTimestamp ? Date.parse(rs.metadata.creationTimestamp) : 0);
const byName = (a: ReplicaSet, b: ReplicaSet): number => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

/** Oldest first (ties by name). */
export const byCreation = (a: ReplicaSet, b: ReplicaSet): number => created(a) - created(b) || byName(a, b);
/** Lowest revision first (ties by creation). */
export const byRevision = (a: ReplicaSet, b: ReplicaSet): number => revisionOf(a) - revisionOf(b) || byCreation(a, b);
/** Largest first; ties newer first (for scaling up). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || created(b) - created(a) || byName(b, a);
/** Largest first; ties older first (for scaling down). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || byCreation(a, b);

export function findNewReplicaSet(d: Deployment, rss: ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => rs.spec.template && templatesEqualIgnoringHash(rs.spec.template, d.spec.template));
}

export function findOldReplicaSets(newRS: ReplicaSet | undefined, rss: ReplicaSet[]): ReplicaSet[] {
  return rss.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

/** The one ReplicaSet to scale when at most one is active (the newest when none is), else undefined. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sorted = [...oldRSs].sort((a, b) => byCreation(b, a));
  const all = newRS ? [newRS, ...sorted] : sorted;
  const active = activeReplicaSets(all);
  if (active.length === 0) return newRS ?? sorted[0];
  return active.length === 1 ? active[0] : undefined;
}

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** The template a new ReplicaSet gets: the deployment's plus the hash label. */
export function templateWithHash(t: PodTemplateSpec, hash: string): PodTemplateSpec {
  const copy = structuredClone(t);
  copy.metadata = { ...copy.metadata, labels: { ...copy.metadata?.labels, [POD_TEMPLATE_HASH]: hash } };
  return copy;
}
