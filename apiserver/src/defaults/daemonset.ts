/**
 * DaemonSet defaulting (apps/v1, k8s SetDefaults_DaemonSet): updateStrategy.type
 * RollingUpdate, and for RollingUpdate a rollingUpdate with maxUnavailable 1 and maxSurge 0;
 * revisionHistoryLimit 10. minReadySeconds stays unset (0). The pod template gets the same
 * pod-spec defaults a Deployment's template gets. Mutates in place; idempotent.
 */
import type { DaemonSet } from '@mk8s/shared';
import { defaultPodTemplateSpec } from './pod.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultDaemonSet(ds: DaemonSet): void {
  if (!isObj(ds.spec)) return;
  const spec = ds.spec;
  spec.updateStrategy ??= {};
  if (isObj(spec.updateStrategy)) {
    const strategy = spec.updateStrategy;
    if (!strategy.type) strategy.type = 'RollingUpdate'; // '' too, as Kubernetes
    if (strategy.type === 'RollingUpdate') {
      strategy.rollingUpdate ??= {};
      if (isObj(strategy.rollingUpdate)) {
        strategy.rollingUpdate.maxUnavailable ??= 1;
        strategy.rollingUpdate.maxSurge ??= 0;
      }
    }
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template);
}
