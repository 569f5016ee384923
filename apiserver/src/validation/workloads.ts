/**
 * Workload validation: ReplicationController (map selector), ReplicaSet and Deployment
 * (LabelSelector, immutable on update as in apps/v1) and the Scale subresource. The pod
 * template is validated as a pod spec under `spec.template.spec` with restartPolicy Always.
 */
import type { Deployment, LabelSelector, PodTemplateSpec, ReplicaSet, ReplicationController, Scale } from '@mk8s/shared';
import {
  child,
  invalid,
  isObj,
  isSet,
  nonNegative,
  notSupported,
  forbidden,
  required,
  type FieldCause,
} from './causes.js';
import { isEmptySelector, selectorMatches, validateAnnotations, validateLabels, validateLabelSelector, validateSelectorImmutable } from './meta.js';
import { validatePodSpec } from './pod.js';

export const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

/** A controller's pod template: metadata labels/annotations and the spec (restartPolicy Always). */
export function validatePodTemplate(template: PodTemplateSpec | undefined, path: string): FieldCause[] {
  if (!isObj(template)) return [required(path)];
  const causes: FieldCause[] = [];
  const meta = template.metadata ?? {};
  causes.push(...validateLabels(meta.labels, child(child(path, 'metadata'), 'labels')));
  causes.push(...validateAnnotations(meta.annotations, child(child(path, 'metadata'), 'annotations')));
  causes.push(...validatePodSpec(template.spec, child(path, 'spec'), { isTemplate: true, restartPolicies: ['Always'] }));
  return causes;
}

function validateReplicas(replicas: unknown, field: string): FieldCause[] {
  return nonNegative(field, replicas);
}

export function validateReplicationController(rc: ReplicationController): FieldCause[] {
  const spec = rc.spec;
  if (!isObj(spec)) return [required('spec')];
  const causes = [...validateReplicas(spec.replicas, 'spec.replicas'), ...nonNegative('spec.minReadySeconds', spec.minReadySeconds)];
  const selector = spec.selector ?? {};
  if (!isObj(selector) || Object.keys(selector).length === 0) causes.push(required('spec.selector'));
  else causes.push(...validateLabels(selector, 'spec.selector'));
  if (!isObj(spec.template)) {
    causes.push(required('spec.template'));
    return causes;
  }
  const labels = spec.template.metadata?.labels ?? {};
  if (isObj(selector) && Object.keys(selector).length > 0 && !selectorMatches({ matchLabels: selector }, labels)) {
    causes.push(invalid('spec.template.metadata.labels', labels, SELECTOR_MISMATCH));
  }
  causes.push(...validatePodTemplate(spec.template, 'spec.template'));
  return causes;
}

function validateSelectedTemplate(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  kind: string,
): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!isObj(selector)) causes.push(required('spec.selector'));
  else {
    causes.push(...validateLabelSelector(selector, 'spec.selector'));
    if (isEmptySelector(selector)) causes.push(invalid('spec.selector', selector, `empty selector is invalid for ${kind}`));
  }
  if (!isObj(template)) {
    causes.push(required('spec.template'));
    return causes;
  }
  const labels = template.metadata?.labels ?? {};
  if (isObj(selector) && !isEmptySelector(selector) && !selectorMatches(selector, labels)) {
    causes.push(invalid('spec.template.metadata.labels', labels, SELECTOR_MISMATCH));
  }
  causes.push(...validatePodTemplate(template, 'spec.template'));
  return causes;
}

export function validateReplicaSet(rs: ReplicaSet): FieldCause[] {
  const spec = rs.spec;
  if (!isObj(spec)) return [required('spec')];
  return [
    ...validateReplicas(spec.replicas, 'spec.replicas'),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...validateSelectedTemplate(spec.selector, spec.template, 'replicaset'),
  ];
}

export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): FieldCause[] {
  return [...validateReplicaSet(rs), ...validateSelectorImmutable(rs.spec?.selector, old.spec?.selector, 'spec.selector')];
}

const PERCENT_RE = /^[0-9]+%$/;
const PERCENT_MSG =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** An int-or-percent field; returns causes and the value as a number (percent or absolute) when valid. */
export function validateIntOrPercent(value: unknown, field: string): { causes: FieldCause[]; zero: boolean } {
  if (!isSet(value)) return { causes: [], zero: false };
  if (typeof value === 'string') {
    if (!PERCENT_RE.test(value)) return { causes: [invalid(field, value, PERCENT_MSG)], zero: false };
    const pct = Number(value.slice(0, -1));
    const causes = pct > 100 ? [invalid(field, value, 'must not be greater than 100%')] : [];
    return { causes, zero: pct === 0 };
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    return { causes: value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [], zero: value === 0 };
  }
  return { causes: [invalid(field, value, 'must be an integer or percentage (e.g \'5%\')')], zero: false };
}

export const DEPLOYMENT_STRATEGIES = ['Recreate', 'RollingUpdate'];

function validateDeploymentStrategy(strategy: Deployment['spec']['strategy']): FieldCause[] {
  if (!isObj(strategy)) return [];
  const causes: FieldCause[] = [];
  if (!strategy.type) causes.push(required('spec.strategy.type'));
  else if (!DEPLOYMENT_STRATEGIES.includes(strategy.type)) causes.push(notSupported('spec.strategy.type', strategy.type, DEPLOYMENT_STRATEGIES));
  if (strategy.type === 'Recreate' && isSet(strategy.rollingUpdate)) {
    causes.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  }
  if (strategy.type === 'RollingUpdate' && isObj(strategy.rollingUpdate)) {
    const surge = validateIntOrPercent(strategy.rollingUpdate.maxSurge, 'spec.strategy.rollingUpdate.maxSurge');
    const unavailable = validateIntOrPercent(strategy.rollingUpdate.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable');
    causes.push(...surge.causes, ...unavailable.causes);
    if (surge.zero && unavailable.zero) {
      causes.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', strategy.rollingUpdate.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  return causes;
}

export function validateDeployment(d: Deployment): FieldCause[] {
  const spec = d.spec;
  if (!isObj(spec)) return [required('spec')];
  const causes = [
    ...validateReplicas(spec.replicas, 'spec.replicas'),
    ...validateSelectedTemplate(spec.selector, spec.template, 'deployment'),
    ...validateDeploymentStrategy(spec.strategy),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
    ...nonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds),
  ];
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number' && deadline <= (spec.minReadySeconds ?? 0)) {
    causes.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return causes;
}

export function validateDeploymentUpdate(d: Deployment, old: Deployment): FieldCause[] {
  return [...validateDeployment(d), ...validateSelectorImmutable(d.spec?.selector, old.spec?.selector, 'spec.selector')];
}

export function validateScale(s: Scale): FieldCause[] {
  return validateReplicas(s.spec?.replicas, 'spec.replicas');
}
