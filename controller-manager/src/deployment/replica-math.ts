/**
 * Rolling-update arithmetic (k8s pkg/controller/deployment/util/deployment_util.go), pure and
 * on plain numbers so tables can test it: maxSurge/maxUnavailable resolution (ints or percents of
 * the desired replicas; surge rounds up, unavailable rounds down, and both zero means one
 * unavailable), how far a new ReplicaSet may grow, and each ReplicaSet's share of a proportional
 * scale during a rollout.
 */
import type { Deployment } from '@mk8s/shared';

/** `5` or `'25%'` scaled against `total`; throws on a malformed value. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: number | string): number {
  const val = v ?? dflt;
  if (typeof val === 'number') return val;
  const m = /^(\d+)%$/.exec(val);
  if (!m) {
    if (/^\d+$/.test(val)) return Number(val);
    throw new Error(`invalid value for IntOrString: ${JSON.stringify(val)}`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export const desiredReplicas = (d: Deployment): number => d.spec.replicas ?? 1;

/** [maxSurge, maxUnavailable] for `desired` replicas. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge, desired, true, '25%');
  let unavailable = scaledValue(maxUnavailable, desired, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, desiredReplicas(d))[0];
}

export function maxUnavailable(d: Deployment): number {
  const want = desiredReplicas(d);
  if (!isRollingUpdate(d) || want === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const u = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, want)[1];
  return Math.min(u, want);
}

/**
 * The size the new ReplicaSet may have now: under RollingUpdate, grow until the total of all
 * ReplicaSets reaches desired + maxSurge, never past desired; under Recreate, desired at once.
 */
export function newRSNewReplicas(d: Deployment, totalReplicas: number, newRSReplicas: number): number {
  const want = desiredReplicas(d);
  if (!isRollingUpdate(d)) return want;
  const maxTotal = want + maxSurge(d);
  if (totalReplicas >= maxTotal) return newRSReplicas;
  const up = Math.min(maxTotal - totalReplicas, want - newRSReplicas);
  return newRSReplicas + Math.max(0, up);
}

/** Go's math.Round: half away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/**
 * How many replicas one ReplicaSet of `rsReplicas` gains (or loses, negative) when the deployment
 * is scaled during a rollout: its share by the max-replicas annotation it was last sized for
 * (`annotatedMax`, else the deployment's status.replicas), clamped to what is still to add.
 */
export function proportion(rsReplicas: number, annotatedMax: number | undefined, d: Deployment, toAdd: number, added: number): number {
  if (rsReplicas === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  const want = desiredReplicas(d);
  if (want === 0) fraction = -rsReplicas;
  else {
    const base = annotatedMax ?? d.status?.replicas ?? 0;
    fraction = base > 0 ? roundHalfAway((rsReplicas * (want + maxSurge(d))) / base) - rsReplicas : 0;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
