/**
 * The resource metrics API (metrics.k8s.io/v1beta1 PodMetrics) as the HPA reads it: a
 * `ResourceType` row so the ordinary client can list it, and the pure reductions from metrics
 * and pod specs to per-pod milli-values.
 */
import { toMilli, type KubeObject, type Pod, type ResourceList, type ResourceType } from '@mk8s/shared';
import type { SampleTime } from './replicas.js';

export interface PodMetrics extends KubeObject {
  timestamp?: string;
  window?: string;
  containers: { name: string; usage: ResourceList }[];
}

export const POD_METRICS: ResourceType = { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true };

/** pod name -> summed container usage of `resource` (milli); pods without that sample are left out. */
export function usageByPod(items: PodMetrics[], resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of items) {
    let sum = 0;
    let seen = false;
    for (const c of m.containers ?? []) {
      const q = c.usage?.[resource];
      if (q === undefined) continue;
      sum += toMilli(q);
      seen = true;
    }
    if (seen) out.set(m.metadata.name ?? '', sum);
  }
  return out;
}

/** pod name -> when its sample was taken and over what window (for the cpu readiness rule). */
export function sampleTimes(items: PodMetrics[]): Map<string, SampleTime> {
  const out = new Map<string, SampleTime>();
  for (const m of items) {
    const ts = m.timestamp ? Date.parse(m.timestamp) : NaN;
    if (Number.isNaN(ts)) continue;
    out.set(m.metadata.name ?? '', { timestampMs: ts, windowMs: parseWindowMs(m.window) });
  }
  return out;
}

/** A Go duration such as `15s`, `1m0s`, `10.5s`, `500ms`; 0 when absent or unparsable. */
export function parseWindowMs(w: string | undefined): number {
  if (!w) return 0;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of w.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return total;
}

/** pod name -> summed container requests of `resource` (milli); throws when a container has none. */
export function requestsByPod(pods: Pod[], resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec.containers) {
      const q = c.resources?.requests?.[resource];
      if (q === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name ?? ''}`);
      sum += toMilli(q);
    }
    out.set(pod.metadata.name ?? '', sum);
  }
  return out;
}
