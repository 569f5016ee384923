/**
 * DaemonSet validation (apps/v1, as Kubernetes' ValidateDaemonSet): a non-empty selector that
 * matches the template labels, a pod template with restartPolicy Always and no
 * activeDeadlineSeconds, updateStrategy RollingUpdate (maxUnavailable/maxSurge int-or-percent,
 * exactly one of them non-zero) or OnDelete, non-negative minReadySeconds and
 * revisionHistoryLimit. On update the selector is immutable. Status writes may not make a
 * counter negative nor decrement collisionCount. Pure; returns causes, empty = valid.
 */
import type { DaemonSet, DaemonSetUpdateStrategy } from '@mk8s/shared';
import { child, forbidden, invalid, isObj, isSet, nonNegative, notSupported, required, type FieldCause } from './causes.js';
import { isEmptySelector, selectorMatches, validateLabelSelector, validateSelectorImmutable } from './meta.js';
import { SELECTOR_MISMATCH, validateIntOrPercent, validatePodTemplate } from './workloads.js';

export const DAEMONSET_UPDATE_STRATEGIES = ['RollingUpdate', 'OnDelete'] as const;

function validateRollingUpdate(rollingUpdate: NonNullable<DaemonSetUpdateStrategy['rollingUpdate']>, path: string): FieldCause[] {
  const unavailablePath = child(path, 'maxUnavailable');
  const surgePath = child(path, 'maxSurge');
  const unavailable = validateIntOrPercent(rollingUpdate.maxUnavailable, unavailablePath);
  const surge = validateIntOrPercent(rollingUpdate.maxSurge, surgePath);
  const causes = [...unavailable.causes, ...surge.causes];
  // a value counts as non-zero only when it is set, well-formed and not 0 / 0% (Kubernetes reads bad values as 0)
  const hasUnavailable = isSet(rollingUpdate.maxUnavailable) && unavailable.causes.length === 0 && !unavailable.zero;
  const hasSurge = isSet(rollingUpdate.maxSurge) && surge.causes.length === 0 && !surge.zero;
  if (hasUnavailable && hasSurge) causes.push(invalid(surgePath, rollingUpdate.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) causes.push(required(unavailablePath, 'cannot be 0 when maxSurge is 0'));
  return causes;
}

function validateUpdateStrategy(strategy: DaemonSetUpdateStrategy | undefined): FieldCause[] {
  const path = 'spec.updateStrategy';
  const type = isObj(strategy) ? strategy.type : undefined;
  if (type === 'OnDelete') return [];
  // the whole strategy is the bad value, as Kubernetes reports it
  if (type !== 'RollingUpdate') return [notSupported(path, strategy ?? {}, DAEMONSET_UPDATE_STRATEGIES)];
  const rollingUpdate = strategy?.rollingUpdate;
  if (!isObj(rollingUpdate)) return [required(child(path, 'rollingUpdate'))];
  return validateRollingUpdate(rollingUpdate, child(path, 'rollingUpdate'));
}

function validateSelector(ds: DaemonSet): FieldCause[] {
  const { selector, template } = ds.spec;
  const causes: FieldCause[] = [];
  if (!isObj(selector)) causes.push(required('spec.selector'));
  else {
    causes.push(...validateLabelSelector(selector, 'spec.selector'));
    if (isEmptySelector(selector)) causes.push(invalid('spec.selector', selector, 'empty selector is invalid for daemonset'));
  }
  const labels = isObj(template) ? (template.metadata?.labels ?? {}) : {};
  // a nil selector selects nothing, so it never matches (as Kubernetes' LabelSelectorAsSelector)
  if (!isObj(selector) || !selectorMatches(selector, labels)) causes.push(invalid('spec.template.metadata.labels', labels, SELECTOR_MISMATCH));
  return causes;
}

export function validateDaemonSet(ds: DaemonSet): FieldCause[] {
  const spec = ds.spec;
  if (!isObj(spec)) return [required('spec')];
  const causes = [...validateSelector(ds), ...validatePodTemplate(spec.template, 'spec.template')];
  if (isObj(spec.template) && isObj(spec.template.spec) && isSet(spec.template.spec.activeDeadlineSeconds)) {
    causes.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  causes.push(
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...validateUpdateStrategy(spec.updateStrategy),
    ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
  );
  return causes;
}

export function validateDaemonSetUpdate(ds: DaemonSet, old: DaemonSet): FieldCause[] {
  return [...validateDaemonSet(ds), ...validateSelectorImmutable(ds.spec?.selector, old.spec?.selector, 'spec.selector')];
}

const STATUS_COUNTERS = [
  'currentNumberScheduled',
  'numberMisscheduled',
  'desiredNumberScheduled',
  'numberReady',
  'observedGeneration',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
  'collisionCount',
] as const;

export function validateDaemonSetStatusUpdate(ds: DaemonSet, old: DaemonSet): FieldCause[] {
  const status = isObj(ds.status) ? ds.status : undefined;
  const causes = STATUS_COUNTERS.flatMap((f) => nonNegative(`status.${f}`, status?.[f]));
  const before = old.status?.collisionCount;
  const after = status?.collisionCount;
  if (typeof before === 'number' && (typeof after !== 'number' || after < before)) {
    causes.push(invalid('status.collisionCount', typeof after === 'number' ? after : 0, 'cannot be decremented'));
  }
  return causes;
}
