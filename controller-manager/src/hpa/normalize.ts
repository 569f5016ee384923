/**
 * From a metric's proposal to the replica count the HPA sets, as pure functions (kubernetes
 * pkg/controller/podautoscaler/horizontal.go: normalizeDesiredReplicas,
 * normalizeDesiredReplicasWithBehaviors and their helpers). Callers keep the per-HPA history
 * (recommendations, scale events) and pass it in with the current time; the functions return
 * the decision, the reason for the ScalingLimited condition, and the new history.
 */
import type { HPAScalingRules } from '@mk8s/shared';

export interface Recommendation {
  atMs: number;
  replicas: number;
}

export interface ScaleEvent {
  atMs: number;
  /** replicas added (scale-up list) or removed (scale-down list), positive */
  change: number;
}

export interface Limited {
  replicas: number;
  /** ScalingLimited reason: DesiredWithinRange, TooFewReplicas, TooManyReplicas, ScaleUpLimit, ScaleDownLimit */
  reason: string;
  message: string;
}

const WITHIN = 'the desired count is within the acceptable range';
const TOO_FEW = 'the desired replica count is less than the minimum replica count';
const TOO_MANY = 'the desired replica count is more than the maximum replica count';

/** Without spec.behavior: the highest recommendation within the downscale window wins. */
export function stabilizeDownscale(history: Recommendation[], desired: number, nowMs: number, windowMs: number): { replicas: number; history: Recommendation[] } {
  const recent = history.filter((r) => r.atMs > nowMs - windowMs);
  const replicas = Math.max(desired, ...recent.map((r) => r.replicas));
  return { replicas, history: [...recent, { atMs: nowMs, replicas: desired }] };
}

/** Without spec.behavior: clamp to min/max and to a scale-up of at most max(2x, 4). */
export function limitWithRules(current: number, desired: number, min: number, max: number): Limited {
  const scaleUpLimit = Math.max(2 * current, 4);
  const [maxAllowed, reason, message] =
    max > scaleUpLimit ? [scaleUpLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'] : [max, 'TooManyReplicas', TOO_MANY];
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas', message: TOO_FEW };
  if (desired > maxAllowed) return { replicas: maxAllowed, reason, message };
  return { replicas: desired, reason: 'DesiredWithinRange', message: WITHIN };
}

export interface Behavior {
  scaleUp: Required<Pick<HPAScalingRules, 'stabilizationWindowSeconds' | 'selectPolicy' | 'policies'>>;
  scaleDown: Required<Pick<HPAScalingRules, 'stabilizationWindowSeconds' | 'selectPolicy' | 'policies'>>;
}

/** spec.behavior with Kubernetes' defaults filled in (scale-down window: the controller's flag). */
export function behaviorWithDefaults(b: { scaleUp?: HPAScalingRules; scaleDown?: HPAScalingRules }, downscaleWindowSeconds: number): Behavior {
  return {
    scaleUp: {
      stabilizationWindowSeconds: b.scaleUp?.stabilizationWindowSeconds ?? 0,
      selectPolicy: b.scaleUp?.selectPolicy ?? 'Max',
      policies: b.scaleUp?.policies ?? [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: b.scaleDown?.stabilizationWindowSeconds ?? downscaleWindowSeconds,
      selectPolicy: b.scaleDown?.selectPolicy ?? 'Max',
      policies: b.scaleDown?.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    },
  };
}

/** With behavior: the lowest recommendation of the up window and the highest of the down window bound the result. */
export function stabilizeWithBehavior(
  history: Recommendation[],
  desired: number,
  current: number,
  nowMs: number,
  b: Behavior,
): { replicas: number; history: Recommendation[] } {
  const upCutoff = nowMs - b.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = nowMs - b.scaleDown.stabilizationWindowSeconds * 1000;
  let up = desired;
  let down = desired;
  for (const r of history) {
    if (r.atMs > upCutoff) up = Math.min(up, r.replicas);
    if (r.atMs > downCutoff) down = Math.max(down, r.replicas);
  }
  let replicas = current;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  const keepFrom = Math.min(upCutoff, downCutoff);
  return { replicas, history: [...history.filter((r) => r.atMs > keepFrom), { atMs: nowMs, replicas: desired }] };
}

const changeInPeriod = (events: ScaleEvent[], periodSeconds: number, nowMs: number): number =>
  events.filter((e) => e.atMs > nowMs - periodSeconds * 1000).reduce((s, e) => s + e.change, 0);

export function scaleUpLimit(current: number, up: ScaleEvent[], down: ScaleEvent[], rules: Behavior['scaleUp'], nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.periodSeconds, nowMs) + changeInPeriod(down, p.periodSeconds, nowMs);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

export function scaleDownLimit(current: number, up: ScaleEvent[], down: ScaleEvent[], rules: Behavior['scaleDown'], nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.periodSeconds, nowMs) + changeInPeriod(down, p.periodSeconds, nowMs);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** With behavior: clamp to min/max and to what the scaling policies allow in their periods. */
export function limitWithBehavior(current: number, desired: number, min: number, max: number, b: Behavior, up: ScaleEvent[], down: ScaleEvent[], nowMs: number): Limited {
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(current, up, down, b.scaleUp, nowMs));
    const [maxAllowed, reason, message] = max > limit ? [limit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'] : [max, 'TooManyReplicas', TOO_MANY];
    if (desired > maxAllowed) return { replicas: maxAllowed, reason, message };
  } else if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(current, up, down, b.scaleDown, nowMs));
    const [minAllowed, reason, message] = min < limit ? [limit, 'ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate'] : [min, 'TooFewReplicas', TOO_FEW];
    if (desired < minAllowed) return { replicas: minAllowed, reason, message };
  }
  return { replicas: desired, reason: 'DesiredWithinRange', message: WITHIN };
}
