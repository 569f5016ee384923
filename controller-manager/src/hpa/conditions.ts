/**
 * HPA status conditions (AbleToScale, ScalingActive, ScalingLimited): set one, keeping its
 * lastTransitionTime while the status stays the same, and compare statuses ignoring times.
 */
import type { Condition, HorizontalPodAutoscaler } from '@mk8s/shared';

export type HpaStatus = NonNullable<HorizontalPodAutoscaler['status']>;

export function setCondition(conditions: Condition[], type: string, status: Condition['status'], reason: string, message: string, nowIso: string): Condition[] {
  const prev = conditions.find((c) => c.type === type);
  const next: Condition = { type, status, reason, message, lastTransitionTime: prev && prev.status === status ? (prev.lastTransitionTime ?? nowIso) : nowIso };
  const i = conditions.findIndex((c) => c.type === type);
  if (i < 0) return [...conditions, next];
  return conditions.map((c, j) => (j === i ? next : c));
}

export function statusEqual(a: HpaStatus | undefined, b: HpaStatus): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b);
}
