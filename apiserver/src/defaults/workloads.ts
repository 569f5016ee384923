/**
 * Workload defaulting: ReplicationController (core/v1), ReplicaSet and Deployment (apps/v1),
 * HorizontalPodAutoscaler (autoscaling/v2). Pod templates get the pod-spec defaults (but not
 * the pod-only tolerations). Mutates in place; idempotent.
 */
import type { Deployment, HorizontalPodAutoscaler, HPAScalingRules, ReplicaSet, ReplicationController } from '@mk8s/shared';
import { defaultPodTemplateSpec } from './pod.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultReplicationController(rc: ReplicationController): void {
  if (!isObj(rc.spec)) return;
  const labels = rc.spec.template?.metadata?.labels;
  if (labels && Object.keys(labels).length > 0) {
    if (!rc.spec.selector || Object.keys(rc.spec.selector).length === 0) rc.spec.selector = { ...labels };
    if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
  }
  rc.spec.replicas ??= 1;
  defaultPodTemplateSpec(rc.spec.template);
}

export function defaultReplicaSet(rs: ReplicaSet): void {
  if (!isObj(rs.spec)) return;
  rs.spec.replicas ??= 1;
  defaultPodTemplateSpec(rs.spec.template);
}

export function defaultDeployment(d: Deployment): void {
  if (!isObj(d.spec)) return;
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  if (!isObj(spec.strategy)) return;
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    if (!isObj(spec.strategy.rollingUpdate)) return;
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(spec.template);
}

export const DEFAULT_CPU_UTILIZATION = 80;

function defaultRules(rules: HPAScalingRules | undefined, up: boolean): HPAScalingRules {
  const r: HPAScalingRules = rules ?? {};
  r.stabilizationWindowSeconds ??= up ? 0 : 300;
  r.selectPolicy ??= 'Max';
  r.policies ??= up
    ? [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ]
    : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  return r;
}

export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  if (!isObj(hpa.spec)) return;
  const spec = hpa.spec;
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (isObj(spec.behavior)) {
    spec.behavior.scaleUp = defaultRules(spec.behavior.scaleUp, true);
    spec.behavior.scaleDown = defaultRules(spec.behavior.scaleDown, false);
  }
}
