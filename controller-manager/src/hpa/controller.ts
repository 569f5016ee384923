/**
 * HorizontalPodAutoscalerController: every `syncPeriodMs` each HPA is synced (and at once when
 * it changes). `sync(key)` reads the target's scale subresource, computes a proposal per Resource
 * metric from the pods selected by the Scale's `status.selector` and the metrics.k8s.io PodMetrics
 * (`resourceReplicas`), takes the largest, normalizes it (downscale stabilization and scale-up
 * rate, or spec.behavior), writes the scale subresource when it differs (event SuccessfulRescale)
 * and then the status subresource (currentReplicas, desiredReplicas, currentMetrics,
 * lastScaleTime, conditions AbleToScale/ScalingActive/ScalingLimited) when it changed.
 * Per-HPA history (recommendations, scale events) lives in memory, as in Kubernetes.
 */
import {
  formatQuantity,
  milliQuantity,
  parseSelector,
  RESOURCES,
  splitKey,
  toMilli,
  realClock,
  type ApiClient,
  type Clock,
  type Condition,
  type EventRecorder,
  type HorizontalPodAutoscaler,
  type Logger,
  type MetricSpec,
  type Pod,
  type ResourceType,
  type Scale,
} from '@mk8s/shared';
import { groupOf } from '../util/pods.js';
import { setCondition, statusEqual, type HpaStatus } from './conditions.js';
import { POD_METRICS, requestsByPod, sampleTimes, usageByPod, type PodMetrics } from './metrics.js';
import { behaviorWithDefaults, limitWithBehavior, limitWithRules, stabilizeDownscale, stabilizeWithBehavior, type Recommendation, type ScaleEvent } from './normalize.js';
import { resourceReplicas, type ResourceTarget } from './replicas.js';

export interface HpaControllerDeps {
  hpas: { get(namespace: string | undefined, name: string): HorizontalPodAutoscaler | undefined };
  pods: { list(namespace?: string): Pod[] };
  client: ApiClient;
  recorder: EventRecorder;
  logger: Logger;
  downscaleStabilizationMs: number;
  clock?: Clock;
}

type CurrentMetric = NonNullable<HpaStatus['currentMetrics']>[number];

interface History {
  recommendations: Recommendation[];
  up: ScaleEvent[];
  down: ScaleEvent[];
}

const SCALABLE: ResourceType[] = [RESOURCES.deployments, RESOURCES.replicasets, RESOURCES.replicationcontrollers];
const DEFAULT_METRICS: MetricSpec[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
const EVENT_WINDOW_MS = 30 * 60_000;

export class HpaController {
  private readonly clock: Clock;
  private readonly history = new Map<string, History>();

  constructor(private readonly d: HpaControllerDeps) {
    this.clock = d.clock ?? realClock;
  }

  forget(key: string): void {
    this.history.delete(key);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const hpa = this.d.hpas.get(namespace, name);
    if (!hpa) return this.forget(key);
    const nowMs = this.clock.now();
    const nowIso = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const h = this.history.get(key) ?? { recommendations: [], up: [], down: [] };
    this.history.set(key, h);
    let conditions = hpa.status?.conditions ?? [];
    const cond = (type: string, status: Condition['status'], reason: string, message: string) => (conditions = setCondition(conditions, type, status, reason, message, nowIso));
    const status = (s: Partial<HpaStatus>): HpaStatus => ({
      ...(hpa.metadata.generation !== undefined ? { observedGeneration: hpa.metadata.generation } : {}),
      ...(hpa.status?.lastScaleTime ? { lastScaleTime: hpa.status.lastScaleTime } : {}),
      currentReplicas: hpa.status?.currentReplicas ?? 0,
      desiredReplicas: hpa.status?.desiredReplicas ?? 0,
      ...(hpa.status?.currentMetrics ? { currentMetrics: hpa.status.currentMetrics } : {}),
      ...s,
      conditions,
    });

    const ref = hpa.spec.scaleTargetRef;
    const type = SCALABLE.find((t) => t.kind === ref.kind && (!ref.apiVersion || groupOf(ref.apiVersion) === t.group));
    let scale: Scale;
    try {
      if (!type) throw new Error(`no matches for kind "${ref.kind}" in group "${groupOf(ref.apiVersion ?? '')}"`);
      scale = await this.d.client.resource<Scale>(type).getSubresource<Scale>(namespace, ref.name, 'scale');
    } catch (err) {
      const msg = `the HPA controller was unable to get the target's current scale: ${(err as Error).message}`;
      cond('AbleToScale', 'False', 'FailedGetScale', msg);
      this.d.recorder.event(hpa, 'Warning', 'FailedGetScale', (err as Error).message);
      await this.writeStatus(hpa, status({}));
      return;
    }
    cond('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const current = scale.spec.replicas ?? 0;
    const min = hpa.spec.minReplicas ?? 1;
    const max = hpa.spec.maxReplicas;
    let desired: number;
    let reason = '';
    let currentMetrics: CurrentMetric[] | undefined = hpa.status?.currentMetrics;

    if (current === 0 && min !== 0) {
      desired = 0;
      cond('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (current > max) {
      desired = max;
      reason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < min) {
      desired = min;
      reason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      let proposal: { replicas: number; metric: string; statuses: CurrentMetric[] };
      try {
        proposal = await this.proposeFromMetrics(hpa, scale, current);
      } catch (err) {
        const msg = (err as Error).message;
        cond('ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${msg}`);
        this.d.recorder.event(hpa, 'Warning', 'FailedGetResourceMetric', msg);
        await this.writeStatus(hpa, status({ currentReplicas: current, desiredReplicas: current }));
        return;
      }
      currentMetrics = proposal.statuses;
      cond('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${proposal.metric}`);
      reason = proposal.replicas > current ? `${proposal.metric} above target` : 'All metrics below target';
      desired = this.normalize(hpa, h, current, proposal.replicas, min, max, nowMs, cond);
    }

    let lastScaleTime = hpa.status?.lastScaleTime;
    if (desired !== current) {
      try {
        await this.d.client.resource<Scale>(type!).update({ ...scale, spec: { ...scale.spec, replicas: desired } }, { subresource: 'scale' });
      } catch (err) {
        cond('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${(err as Error).message}`);
        this.d.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${(err as Error).message}`);
        await this.writeStatus(hpa, status({ currentReplicas: current }));
        throw err;
      }
      cond('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      this.d.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
      this.d.logger.info({ hpa: key, from: current, to: desired, reason }, 'rescaled');
      lastScaleTime = nowIso;
      (desired > current ? h.up : h.down).push({ atMs: nowMs, change: Math.abs(desired - current) });
      h.up = h.up.filter((e) => e.atMs > nowMs - EVENT_WINDOW_MS);
      h.down = h.down.filter((e) => e.atMs > nowMs - EVENT_WINDOW_MS);
    }
    await this.writeStatus(hpa, status({ currentReplicas: current, desiredReplicas: desired, ...(currentMetrics ? { currentMetrics } : {}), ...(lastScaleTime ? { lastScaleTime } : {}) }));
  }

  private normalize(
    hpa: HorizontalPodAutoscaler,
    h: History,
    current: number,
    proposed: number,
    min: number,
    max: number,
    nowMs: number,
    cond: (type: string, status: Condition['status'], reason: string, message: string) => void,
  ): number {
    let stabilized: number;
    let limited;
    if (hpa.spec.behavior) {
      const b = behaviorWithDefaults(hpa.spec.behavior, this.d.downscaleStabilizationMs / 1000);
      const s = stabilizeWithBehavior(h.recommendations, proposed, current, nowMs, b);
      h.recommendations = s.history;
      stabilized = s.replicas;
      limited = limitWithBehavior(current, stabilized, min, max, b, h.up, h.down, nowMs);
    } else {
      const s = stabilizeDownscale(h.recommendations, proposed, nowMs, this.d.downscaleStabilizationMs);
      h.recommendations = s.history;
      stabilized = s.replicas;
      limited = limitWithRules(current, stabilized, min, max);
    }
    if (stabilized !== proposed) cond('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    else cond('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    cond('ScalingLimited', limited.replicas === stabilized ? 'False' : 'True', limited.reason, limited.message);
    return limited.replicas;
  }

  /** The largest proposal over the HPA's Resource metrics; throws when none can be computed. */
  private async proposeFromMetrics(hpa: HorizontalPodAutoscaler, scale: Scale, current: number): Promise<{ replicas: number; metric: string; statuses: CurrentMetric[] }> {
    const namespace = hpa.metadata.namespace;
    const selectorText = scale.status?.selector;
    if (!selectorText) throw new Error('the scale target has no selector');
    const selector = parseSelector(selectorText);
    const pods = this.d.pods.list(namespace).filter((p) => selector.matches(p.metadata.labels));
    let items: PodMetrics[] | undefined;
    let best: { replicas: number; metric: string } | undefined;
    const statuses: CurrentMetric[] = [];
    let firstError: Error | undefined;
    for (const spec of hpa.spec.metrics?.length ? hpa.spec.metrics : DEFAULT_METRICS) {
      try {
        if (spec.type !== 'Resource' || !spec.resource) throw new Error(`metric type ${spec.type} is not supported`);
        const { name, target: t } = spec.resource;
        const target: ResourceTarget | undefined =
          t.type === 'Utilization' && t.averageUtilization ? { utilization: t.averageUtilization } : t.type === 'AverageValue' && t.averageValue ? { averageValue: toMilli(t.averageValue) } : undefined;
        if (!target) throw new Error(`invalid target for resource ${name}`);
        if (items === undefined) {
          try {
            items = (await this.d.client.resource<PodMetrics>(POD_METRICS).list(namespace, { labelSelector: selectorText })).items;
          } catch (err) {
            throw new Error(`unable to get metrics for resource ${name}: unable to fetch metrics from resource metrics API: ${(err as Error).message}`);
          }
        }
        const r = resourceReplicas({
          currentReplicas: current,
          pods,
          metrics: usageByPod(items, name),
          requests: 'utilization' in target ? requestsByPod(pods, name) : new Map(),
          resource: name,
          target,
          nowMs: this.clock.now(),
          samples: sampleTimes(items),
        });
        const label = 'utilization' in target ? `${name} resource utilization (percentage of request)` : `${name} resource`;
        const averageValue = formatQuantity(milliQuantity(Math.round(r.averageValue)));
        statuses.push({ type: 'Resource', resource: { name, current: { ...(r.utilization !== undefined ? { averageUtilization: r.utilization } : {}), averageValue } } });
        if (!best || r.replicas > best.replicas) best = { replicas: r.replicas, metric: label };
      } catch (err) {
        firstError ??= err as Error;
        this.d.logger.debug({ err, hpa: hpa.metadata.name }, 'metric not usable');
      }
    }
    if (!best) throw firstError ?? new Error('no metrics');
    // as Kubernetes: with some metrics unusable, never scale down on the others alone
    if (firstError && best.replicas < current) throw firstError;
    return { ...best, statuses };
  }

  private async writeStatus(hpa: HorizontalPodAutoscaler, status: HpaStatus): Promise<void> {
    if (statusEqual(hpa.status, status)) return;
    await this.d.client.resource<HorizontalPodAutoscaler>(RESOURCES.horizontalpodautoscalers).updateStatus({ ...hpa, status });
  }
}
