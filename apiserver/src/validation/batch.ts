/**
 * Job validation (batch/v1): non-negative parallelism, completions, backoffLimit and
 * ttlSecondsAfterFinished, a positive activeDeadlineSeconds, a pod template with restartPolicy
 * OnFailure or Never, a non-empty selector that matches the template labels and - unless
 * manualSelector - is the generated `batch.kubernetes.io/controller-uid` one. On update the
 * selector, template and completions are immutable. Status counters may not be negative.
 */
import { CONTROLLER_UID_LABEL, type Job } from '@mk8s/shared';
import { child, deepEqual, IMMUTABLE, invalid, isObj, isSet, nonNegative, notSupported, required, type FieldCause } from './causes.js';
import { isEmptySelector, selectorMatches, validateAnnotations, validateLabels, validateLabelSelector, validateSelectorImmutable } from './meta.js';
import { validatePodSpec } from './pod.js';

export const JOB_RESTART_POLICIES = ['OnFailure', 'Never'] as const;
/** Indexed jobs are not implemented by mk8s' job controller, so they are refused. */
export const JOB_COMPLETION_MODES = ['NonIndexed'] as const;

function validatePositive(field: string, value: unknown): FieldCause[] {
  if (!isSet(value)) return [];
  if (typeof value !== 'number' || !Number.isInteger(value)) return [invalid(field, value, 'must be an integer')];
  return value <= 0 ? [invalid(field, value, 'must be greater than 0')] : [];
}

function validateJobSelector(job: Job): FieldCause[] {
  const spec = job.spec;
  const selector = spec.selector;
  if (!isObj(selector)) return [required('spec.selector')];
  const causes = validateLabelSelector(selector, 'spec.selector');
  if (isEmptySelector(selector)) causes.push(invalid('spec.selector', selector, 'empty selector is invalid for job'));
  const labels = spec.template?.metadata?.labels ?? {};
  if (spec.manualSelector !== true) {
    const uid = job.metadata.uid ?? '';
    if (selector.matchLabels?.[CONTROLLER_UID_LABEL] !== uid) causes.push(invalid('spec.selector', selector, '`selector` not auto-generated'));
    if (labels[CONTROLLER_UID_LABEL] !== uid) {
      causes.push(invalid(`spec.template.metadata.labels[${CONTROLLER_UID_LABEL}]`, labels[CONTROLLER_UID_LABEL] ?? '', `must be '${uid}'`));
    }
  }
  if (!isEmptySelector(selector) && !selectorMatches(selector, labels)) {
    causes.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  return causes;
}

export function validateJob(job: Job): FieldCause[] {
  const spec = job.spec;
  if (!isObj(spec)) return [required('spec')];
  const causes = [
    ...nonNegative('spec.parallelism', spec.parallelism),
    ...nonNegative('spec.completions', spec.completions),
    ...nonNegative('spec.backoffLimit', spec.backoffLimit),
    ...nonNegative('spec.ttlSecondsAfterFinished', spec.ttlSecondsAfterFinished),
    ...validatePositive('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds),
  ];
  if (isSet(spec.completionMode) && !(JOB_COMPLETION_MODES as readonly string[]).includes(spec.completionMode as string)) {
    causes.push(notSupported('spec.completionMode', spec.completionMode, JOB_COMPLETION_MODES));
  }
  if (!isObj(spec.template)) {
    causes.push(required('spec.template'));
    return causes;
  }
  causes.push(...validateJobSelector(job));
  const meta = spec.template.metadata ?? {};
  causes.push(...validateLabels(meta.labels, 'spec.template.metadata.labels'));
  causes.push(...validateAnnotations(meta.annotations, 'spec.template.metadata.annotations'));
  causes.push(...validatePodSpec(spec.template.spec, child('spec.template', 'spec'), { isTemplate: true, restartPolicies: JOB_RESTART_POLICIES }));
  return causes;
}

export function validateJobUpdate(job: Job, old: Job): FieldCause[] {
  const causes = [...validateJob(job), ...validateSelectorImmutable(job.spec?.selector, old.spec?.selector, 'spec.selector')];
  if (!deepEqual(job.spec?.template, old.spec?.template)) causes.push(invalid('spec.template', job.spec?.template, IMMUTABLE));
  if (!deepEqual(job.spec?.completions, old.spec?.completions)) causes.push(invalid('spec.completions', job.spec?.completions, IMMUTABLE));
  return causes;
}

export function validateJobStatusUpdate(job: Job): FieldCause[] {
  const status = job.status ?? {};
  return (['active', 'succeeded', 'failed', 'ready', 'terminating'] as const).flatMap((f) => nonNegative(`status.${f}`, status[f]));
}
