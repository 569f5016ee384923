/**
 * Rows for batch/v1 Job, as kubectl 1.32's printer shows them: NAME, STATUS (Complete, Failed,
 * Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running, in that precedence),
 * COMPLETIONS (`succeeded/completions`, or `n/1 of p` for a work queue with parallelism > 1),
 * DURATION (start to completion, or to now while running; empty before start), AGE, and the
 * wide CONTAINERS, IMAGES, SELECTOR.
 */
import type { Job, JobConditionType } from '@mk8s/shared';
import { humanDuration, translateTimestampSince } from './duration.js';
import { ageColumn, column, containerCells, containersColumn, formatLabelSelector, imagesColumn, nameColumn } from './format.js';
import type { KindPrinter } from './types.js';

const hasCondition = (job: Job, type: JobConditionType): boolean =>
  job.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;

export function jobStatusCell(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export function jobCompletionsCell(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec.completions != null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDurationCell(job: Job, now: Date): string {
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : NaN;
  if (Number.isNaN(start)) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now.getTime();
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

export const jobPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column('Selector', 'string', 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  print(obj, now) {
    const job = obj as Job;
    const [names, images] = containerCells(job.spec.template?.spec?.containers);
    return {
      cells: [
        job.metadata.name ?? '',
        jobStatusCell(job),
        jobCompletionsCell(job),
        jobDurationCell(job, now),
        translateTimestampSince(job.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(job.spec.selector),
      ],
    };
  },
};
