/**
 * HorizontalPodAutoscaler (autoscaling/v2) validation: the scale target, replica bounds and
 * metric specs. mk8s's HPA controller acts on Resource metrics; the other metric source
 * types are accepted when well formed so manifests round-trip.
 */
import { parseQuantity, type HorizontalPodAutoscaler, type MetricSpec, type MetricTarget } from '@mk8s/shared';
import { arrayOf, child, forbidden, index, invalid, invalidEach, isObj, isObject, isSet, notSupported, required, type FieldCause } from './causes.js';
import { isPathSegmentName } from './meta.js';

export const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELD: Record<string, string> = {
  ContainerResource: 'containerResource',
  External: 'external',
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
};
export const METRIC_TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];

function validateTarget(target: MetricTarget | undefined, path: string, allowUtilization: boolean): FieldCause[] {
  if (!isObj(target)) return [required(path)];
  const causes: FieldCause[] = [];
  if (!target.type) causes.push(required(child(path, 'type'), 'must specify a metric target type'));
  else if (!METRIC_TARGET_TYPES.includes(target.type)) causes.push(notSupported(child(path, 'type'), target.type, METRIC_TARGET_TYPES));
  if (isSet(target.averageUtilization)) {
    if (!allowUtilization) causes.push(forbidden(child(path, 'averageUtilization'), 'may not be set for this metric source'));
    else if (!((target.averageUtilization as number) > 0)) causes.push(invalid(child(path, 'averageUtilization'), target.averageUtilization, 'must be greater than 0'));
  }
  for (const f of ['averageValue', 'value'] as const) {
    const v = target[f];
    if (!isSet(v)) continue;
    try {
      if (parseQuantity(v as string).nano <= 0n) causes.push(invalid(child(path, f), v, 'must be positive'));
    } catch (err) {
      causes.push(invalid(child(path, f), v, (err as Error).message));
    }
  }
  if (target.type === 'Utilization' && !isSet(target.averageUtilization) && !isSet(target.averageValue)) {
    causes.push(required(child(path, 'averageUtilization'), 'must set either a target raw value or a target utilization'));
  }
  if (target.type === 'AverageValue' && !isSet(target.averageValue)) causes.push(required(child(path, 'averageValue'), 'must set either a target raw value or a target utilization'));
  if (target.type === 'Value' && !isSet(target.value)) causes.push(required(child(path, 'value'), 'must set either a target raw value or a target utilization'));
  return causes;
}

function validateMetric(metric: MetricSpec, path: string): FieldCause[] {
  if (!isObj(metric)) return [invalid(path, metric, 'must be an object')];
  const causes: FieldCause[] = [];
  const raw = metric as unknown as Record<string, unknown>;
  if (!metric.type) return [required(child(path, 'type'), 'must specify a metric source type')];
  if (!METRIC_SOURCE_TYPES.includes(metric.type)) return [notSupported(child(path, 'type'), metric.type, METRIC_SOURCE_TYPES)];
  const own = SOURCE_FIELD[metric.type] ?? '';
  if (!isObject(raw[own])) causes.push(required(child(path, own), 'must populate information for the given metric source'));
  for (const other of Object.values(SOURCE_FIELD)) {
    if (other !== own && isSet(raw[other])) causes.push(forbidden(child(path, other), 'must populate the given metric source only'));
  }
  const source = raw[own];
  if (!isObject(source)) return causes;
  const sp = child(path, own);
  if (metric.type === 'Resource' || metric.type === 'ContainerResource') {
    if (!source.name) causes.push(required(child(sp, 'name'), 'must specify a resource name'));
    if (metric.type === 'ContainerResource' && !source.container) causes.push(required(child(sp, 'container'), 'must specify a container'));
    causes.push(...validateTarget(source.target as MetricTarget, child(sp, 'target'), true));
  } else {
    const m = isObject(source.metric) ? source.metric : {};
    if (!m.name) causes.push(required(child(child(sp, 'metric'), 'name'), 'must specify a metric name'));
    if (metric.type === 'Object') {
      const ref = isObject(source.describedObject) ? source.describedObject : {};
      if (!ref.kind) causes.push(required(child(child(sp, 'describedObject'), 'kind')));
      if (!ref.name) causes.push(required(child(child(sp, 'describedObject'), 'name')));
    }
    causes.push(...validateTarget(source.target as MetricTarget, child(sp, 'target'), false));
  }
  return causes;
}

export function validateHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): FieldCause[] {
  const spec = hpa.spec;
  if (!isObj(spec)) return [required('spec')];
  const causes: FieldCause[] = [];
  const ref = isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : { kind: '', name: '' };
  if (!ref.kind) causes.push(required('spec.scaleTargetRef.kind'));
  else causes.push(...invalidEach('spec.scaleTargetRef.kind', ref.kind, isPathSegmentName(ref.kind)));
  if (!ref.name) causes.push(required('spec.scaleTargetRef.name'));
  else causes.push(...invalidEach('spec.scaleTargetRef.name', ref.name, isPathSegmentName(ref.name)));
  const min = spec.minReplicas;
  if (isSet(min) && !((min as number) >= 1)) causes.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (!isSet(spec.maxReplicas) || !((spec.maxReplicas as number) >= 1)) {
    causes.push(invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0'));
  } else if (isSet(min) && spec.maxReplicas < (min as number)) {
    causes.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  arrayOf<MetricSpec>(spec.metrics).forEach((m, i) => causes.push(...validateMetric(m, index('spec.metrics', i))));
  return causes;
}
