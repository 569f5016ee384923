/**
 * The HPA's replica calculation for Resource metrics, as pure functions (kubernetes
 * pkg/controller/podautoscaler/replica_calculator.go: GetResourceReplicas, GetRawResourceReplicas,
 * groupPods). Usage and requests are in milli-units (millicores, milli-bytes).
 * - Pods being deleted or Failed are ignored; Pending pods count as unready; pods without a
 *   sample are "missing". For cpu (whose usage spikes while a process starts), a pod also counts
 *   as unready without a Ready condition or startTime; within 5 minutes of its start when it is
 *   not Ready or its sample's window began before it last changed readiness; later only when it
 *   is not Ready and has never been Ready (its last transition was within 30 s of its start).
 * - Within `tolerance` (10%) of the target nothing changes. Otherwise, conservatively: on a
 *   scale-up unready and missing pods count as using nothing; on a scale-down missing pods count
 *   as using their request at max(100%, target) (Utilization) or exactly the target (AverageValue);
 *   and a correction that flips the direction or the tolerance leaves the count as it is.
 */
import type { Pod } from '@mk8s/shared';

export const DEFAULT_TOLERANCE = 0.1;

export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** When a sample was taken and over how long a window (from PodMetrics timestamp/window). */
export interface SampleTime {
  timestampMs: number;
  windowMs: number;
}

export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
export const INITIAL_READINESS_DELAY_MS = 30_000;

const ms = (s: string | null | undefined): number | undefined => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

/** Kubernetes' cpu readiness rule for HPA samples (see the module comment). */
export function isCpuSampleUnready(pod: Pod, sample: SampleTime | undefined, nowMs: number): boolean {
  const cond = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const start = ms(pod.status?.startTime);
  if (!cond || start === undefined) return true;
  const transition = ms(cond.lastTransitionTime) ?? start;
  if (start + CPU_INITIALIZATION_PERIOD_MS > nowMs) {
    return cond.status === 'False' || (sample !== undefined && sample.timestampMs < transition + sample.windowMs);
  }
  return cond.status === 'False' && start + INITIAL_READINESS_DELAY_MS > transition;
}

export function groupPods(pods: Pod[], metrics: Map<string, number>, resource: string, nowMs = Date.now(), samples: Map<string, SampleTime> = new Map()): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') g.ignored.add(name);
    else if (pod.status?.phase === 'Pending') g.unready.add(name);
    else if (!metrics.has(name)) g.missing.add(name);
    else if (resource === 'cpu' && isCpuSampleUnready(pod, samples.get(name), nowMs)) g.unready.add(name);
    else g.readyPodCount++;
  }
  return g;
}

export type ResourceTarget = { utilization: number } | { averageValue: number };

export interface ReplicaInput {
  currentReplicas: number;
  pods: Pod[];
  /** pod name -> usage (milli) */
  metrics: Map<string, number>;
  /** pod name -> summed container requests (milli); required for Utilization targets */
  requests: Map<string, number>;
  resource: string;
  target: ResourceTarget;
  tolerance?: number;
  /** for the cpu readiness rule; default Date.now() and no sample times */
  nowMs?: number;
  samples?: Map<string, SampleTime>;
}

export interface ReplicaResult {
  replicas: number;
  /** percent of request, for Utilization targets */
  utilization?: number;
  /** average usage per pod with a sample (milli) */
  averageValue: number;
}

interface Usage {
  ratio: number;
  utilization?: number;
  averageValue: number;
}

function usageOf(metrics: Map<string, number>, requests: Map<string, number>, target: ResourceTarget): Usage {
  if ('utilization' in target) {
    let used = 0;
    let requested = 0;
    let n = 0;
    for (const [pod, value] of metrics) {
      const req = requests.get(pod);
      if (req === undefined) continue;
      used += value;
      requested += req;
      n++;
    }
    if (requested === 0) throw new Error('no metrics returned matched known pods');
    const utilization = Math.trunc((used * 100) / requested);
    return { ratio: utilization / target.utilization, utilization, averageValue: used / n };
  }
  let total = 0;
  for (const v of metrics.values()) total += v;
  const averageValue = total / metrics.size;
  return { ratio: averageValue / target.averageValue, averageValue };
}

/** Throws (with Kubernetes' messages) when no usable sample is left. */
export function resourceReplicas(input: ReplicaInput): ReplicaResult {
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  const { currentReplicas, target } = input;
  if (input.pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics = new Map(input.metrics);
  const g = groupPods(input.pods, metrics, input.resource, input.nowMs, input.samples);
  for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
  for (const name of metrics.keys()) if (!input.pods.some((p) => p.metadata.name === name)) metrics.delete(name);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const usage = usageOf(metrics, input.requests, target);
  const result = (replicas: number): ReplicaResult => ({ replicas, averageValue: usage.averageValue, ...(usage.utilization !== undefined ? { utilization: usage.utilization } : {}) });

  const scaleUpWithUnready = g.unready.size > 0 && usage.ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - usage.ratio) <= tolerance) return result(currentReplicas);
    return result(Math.ceil(usage.ratio * g.readyPodCount));
  }
  if (g.missing.size > 0) {
    for (const name of g.missing) {
      if (usage.ratio < 1) {
        metrics.set(name, 'utilization' in target ? ((input.requests.get(name) ?? 0) * Math.max(100, target.utilization)) / 100 : target.averageValue);
      } else if (usage.ratio > 1) {
        metrics.set(name, 0);
      }
    }
  }
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, 0);
  const next = usageOf(metrics, input.requests, target);
  if (Math.abs(1 - next.ratio) <= tolerance || (usage.ratio < 1 && next.ratio > 1) || (usage.ratio > 1 && next.ratio < 1)) return result(currentReplicas);
  const replicas = Math.ceil(next.ratio * metrics.size);
  if ((next.ratio < 1 && replicas > currentReplicas) || (next.ratio > 1 && replicas < currentReplicas)) return result(currentReplicas);
  return result(replicas);
}
