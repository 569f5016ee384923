/**
 * autoscaling/v1 HorizontalPodAutoscalers, served from the autoscaling/v2 objects in storage
 * (kubectl 1.32's `autoscale` posts v1). v1 knows one metric, CPU utilization:
 * `spec.targetCPUUtilizationPercentage` <-> a Resource cpu Utilization metric, and
 * `status.currentCPUUtilizationPercentage` <-> the current cpu metric. Other v2 metrics are
 * kept when a v1 write replaces an existing object.
 */
import type { HorizontalPodAutoscaler, KubeObject, MetricSpec } from '@mk8s/shared';

interface HpaV1 extends KubeObject {
  spec?: {
    scaleTargetRef?: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas?: number;
    targetCPUUtilizationPercentage?: number;
  };
  status?: {
    observedGeneration?: number;
    lastScaleTime?: string;
    currentReplicas?: number;
    desiredReplicas?: number;
    currentCPUUtilizationPercentage?: number;
  };
}

const isCpu = (m: MetricSpec) => m.type === 'Resource' && m.resource?.name === 'cpu';

export function hpaV1ToV2(obj: KubeObject, stored?: KubeObject): KubeObject {
  const v1 = obj as HpaV1;
  const prev = stored as HorizontalPodAutoscaler | undefined;
  const others = (prev?.spec.metrics ?? []).filter((m) => !isCpu(m));
  const target = v1.spec?.targetCPUUtilizationPercentage;
  const cpu: MetricSpec[] = target !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }] : [];
  const metrics = [...cpu, ...others];
  const out: HorizontalPodAutoscaler = {
    ...(v1 as object),
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: v1.metadata,
    spec: {
      scaleTargetRef: v1.spec?.scaleTargetRef as HorizontalPodAutoscaler['spec']['scaleTargetRef'],
      ...(v1.spec?.minReplicas !== undefined ? { minReplicas: v1.spec.minReplicas } : {}),
      maxReplicas: v1.spec?.maxReplicas as number,
      ...(metrics.length ? { metrics } : {}),
      ...(prev?.spec.behavior ? { behavior: prev.spec.behavior } : {}),
    },
  };
  if (v1.status) {
    const s = v1.status;
    out.status = {
      ...(s.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}),
      ...(s.lastScaleTime ? { lastScaleTime: s.lastScaleTime } : {}),
      currentReplicas: s.currentReplicas,
      desiredReplicas: s.desiredReplicas,
      ...(s.currentCPUUtilizationPercentage !== undefined
        ? { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } }] }
        : {}),
    };
  }
  return out;
}

export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const v2 = obj as HorizontalPodAutoscaler;
  const cpu = v2.spec?.metrics?.find(isCpu)?.resource?.target.averageUtilization;
  const current = v2.status?.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current.averageUtilization;
  const out: HpaV1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: v2.metadata,
    spec: {
      scaleTargetRef: v2.spec?.scaleTargetRef,
      ...(v2.spec?.minReplicas !== undefined ? { minReplicas: v2.spec.minReplicas } : {}),
      maxReplicas: v2.spec?.maxReplicas,
      ...(cpu !== undefined ? { targetCPUUtilizationPercentage: cpu } : {}),
    },
    status: {
      ...(v2.status?.observedGeneration !== undefined ? { observedGeneration: v2.status.observedGeneration } : {}),
      ...(v2.status?.lastScaleTime ? { lastScaleTime: v2.status.lastScaleTime } : {}),
      currentReplicas: v2.status?.currentReplicas ?? 0,
      desiredReplicas: v2.status?.desiredReplicas ?? 0,
      ...(current !== undefined ? { currentCPUUtilizationPercentage: current } : {}),
    },
  };
  return out;
}
