import { describe, expect, it } from 'vitest';
import type { Job, JobCondition } from '@mk8s/shared';
import { jobPrinter } from './batch-printers.js';

const NOW = new Date('2026-01-01T00:10:00Z');
const cond = (type: JobCondition['type']): JobCondition => ({ type, status: 'True' });

function newJob(spec: Partial<Job['spec']>, status: Job['status'] = {}, deleting = false): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', creationTimestamp: '2026-01-01T00:00:00Z', ...(deleting ? { deletionTimestamp: '2026-01-01T00:09:00Z' } : {}) },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } }, selector: { matchLabels: { a: 'b' } }, ...spec },
    status,
  };
}

describe('jobPrinter', () => {
  it.each<[string, Job, unknown[]]>([
    ['running, not started', newJob({ completions: 3, parallelism: 2 }), ['j', 'Running', '0/3', '', '10m', 'c', 'busybox', 'a=b']],
    [
      'running for 30s',
      newJob({ completions: 3 }, { startTime: '2026-01-01T00:09:30Z', succeeded: 1 }),
      ['j', 'Running', '1/3', '30s', '10m', 'c', 'busybox', 'a=b'],
    ],
    [
      'complete',
      newJob({ completions: 1 }, { startTime: '2026-01-01T00:00:00Z', completionTime: '2026-01-01T00:00:05Z', succeeded: 1, conditions: [cond('SuccessCriteriaMet'), cond('Complete')] }),
      ['j', 'Complete', '1/1', '5s', '10m', 'c', 'busybox', 'a=b'],
    ],
    ['failed', newJob({ completions: 1 }, { conditions: [cond('FailureTarget'), cond('Failed')] }), ['j', 'Failed', '0/1', '', '10m', 'c', 'busybox', 'a=b']],
    ['suspended', newJob({ completions: 1 }, { conditions: [cond('Suspended')] }), ['j', 'Suspended', '0/1', '', '10m', 'c', 'busybox', 'a=b']],
    ['terminating', newJob({ completions: 1 }, {}, true), ['j', 'Terminating', '0/1', '', '10m', 'c', 'busybox', 'a=b']],
    ['work queue with parallelism', newJob({ parallelism: 4 }), ['j', 'Running', '0/1 of 4', '', '10m', 'c', 'busybox', 'a=b']],
    ['work queue without parallelism', newJob({ parallelism: 1 }), ['j', 'Running', '0/1', '', '10m', 'c', 'busybox', 'a=b']],
  ])('%s', (_name, job, cells) => {
    expect(jobPrinter.print(job, NOW).cells).toEqual(cells);
  });
  it('has the kubectl column names', () => {
    expect(jobPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
  });
});
