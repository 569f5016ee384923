/**
 * Job defaulting (batch/v1, k8s SetDefaults_Job plus the job strategy's generateSelector):
 * parallelism 1 (and completions 1 when both are unset), backoffLimit 6, completionMode
 * NonIndexed, suspend false, podReplacementPolicy TerminatingOrFailed, the Job's labels from
 * the template when it has none, and - unless `manualSelector` - the generated selector on
 * `batch.kubernetes.io/controller-uid` with the job-name/controller-uid labels added to the
 * template. Needs metadata.uid (set before defaulting on create). Mutates in place; idempotent.
 */
import {
  CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  LEGACY_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
  type Job,
  type LabelSelector,
} from '@mk8s/shared';
import { defaultPodTemplateSpec } from './pod.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Adds the generated selector and template labels (k8s generateSelector); no-op with manualSelector. */
export function generateJobSelector(job: Job): void {
  const spec = job.spec;
  if (spec.manualSelector === true || !isObj(spec.template)) return;
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  spec.template.metadata ??= {};
  if (!isObj(spec.template.metadata)) return;
  const labels = (spec.template.metadata.labels ??= {});
  if (!isObj(labels)) return;
  for (const [k, v] of [
    [LEGACY_JOB_NAME_LABEL, name],
    [JOB_NAME_LABEL, name],
    [LEGACY_CONTROLLER_UID_LABEL, uid],
    [CONTROLLER_UID_LABEL, uid],
  ] as const) {
    // a user-set conflicting value is left for validation to reject
    if (!(k in labels)) labels[k] = v;
  }
  const selector: LabelSelector = (spec.selector ??= {});
  if (typeof selector !== 'object' || selector === null || Array.isArray(selector)) return;
  const matchLabels = (selector.matchLabels ??= {});
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = uid;
}

export function defaultJob(job: Job): void {
  if (!isObj(job.spec)) return;
  const spec = job.spec;
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  generateJobSelector(job);
  // after the generated labels, as Kubernetes shows them on a stored Job (defaulted on read)
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(templateLabels).length > 0 && Object.keys(job.metadata.labels ?? {}).length === 0) {
    job.metadata.labels = { ...templateLabels };
  }
  defaultPodTemplateSpec(spec.template);
}
