import { describe, expect, it } from 'vitest';
import type { Job } from '@mk8s/shared';
import { defaultJob } from '../defaults/batch.js';
import { validateJob, validateJobUpdate } from './batch.js';

function newJob(mutate: (j: Job) => void = () => {}): Job {
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j1', namespace: 'default', uid: 'uid-1' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'mk8s/busybox:1' }] } } },
  };
  mutate(job);
  return job;
}

const defaulted = (mutate?: (j: Job) => void): Job => {
  const j = newJob(mutate);
  defaultJob(j);
  return j;
};

describe('defaultJob', () => {
  it('fills the kube defaults and the generated selector', () => {
    const j = defaulted();
    expect(j.spec).toMatchObject({ parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
    expect(j.spec.template.metadata?.labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'uid-1',
      'batch.kubernetes.io/job-name': 'j1',
      'controller-uid': 'uid-1',
      'job-name': 'j1',
    });
  });
  it('leaves completions unset when only parallelism is given', () => {
    expect(defaulted((j) => (j.spec.parallelism = 3)).spec.completions).toBeUndefined();
  });
  it('is idempotent', () => {
    const j = defaulted();
    const again = structuredClone(j);
    defaultJob(again);
    expect(again).toEqual(j);
  });
  it('does not generate a selector with manualSelector', () => {
    const j = defaulted((x) => {
      x.spec.manualSelector = true;
      x.spec.selector = { matchLabels: { a: 'b' } };
      x.spec.template.metadata = { labels: { a: 'b' } };
    });
    expect(j.spec.selector).toEqual({ matchLabels: { a: 'b' } });
    expect(j.spec.template.metadata?.labels).toEqual({ a: 'b' });
  });
});

describe('validateJob', () => {
  it.each<[string, (j: Job) => void, string[]]>([
    ['a defaulted job is valid', () => {}, []],
    ['restartPolicy Always is refused', (j) => (j.spec.template.spec.restartPolicy = 'Always'), ['spec.template.spec.restartPolicy']],
    ['negative parallelism', (j) => (j.spec.parallelism = -1), ['spec.parallelism']],
    ['negative completions', (j) => (j.spec.completions = -2), ['spec.completions']],
    ['negative backoffLimit', (j) => (j.spec.backoffLimit = -1), ['spec.backoffLimit']],
    ['zero activeDeadlineSeconds', (j) => (j.spec.activeDeadlineSeconds = 0), ['spec.activeDeadlineSeconds']],
    ['negative ttlSecondsAfterFinished', (j) => (j.spec.ttlSecondsAfterFinished = -1), ['spec.ttlSecondsAfterFinished']],
    ['Indexed completion mode', (j) => (j.spec.completionMode = 'Indexed'), ['spec.completionMode']],
    [
      'a selector that is not the generated one',
      (j) => (j.spec.selector = { matchLabels: { 'job-name': 'j1' } }),
      ['spec.selector'],
    ],
    [
      'a manual selector that does not match the template',
      (j) => {
        j.spec.manualSelector = true;
        j.spec.selector = { matchLabels: { x: 'y' } };
      },
      ['spec.template.metadata.labels'],
    ],
  ])('%s', (_name, mutate, fields) => {
    const j = defaulted();
    mutate(j);
    expect(validateJob(j).map((c) => c.field)).toEqual(fields);
  });
});

describe('validateJobUpdate', () => {
  it.each<[string, (j: Job) => void, string[]]>([
    ['parallelism may change', (j) => (j.spec.parallelism = 4), []],
    ['suspend may change', (j) => (j.spec.suspend = true), []],
    ['the template is immutable', (j) => (j.spec.template.spec.containers[0]!.image = 'other'), ['spec.template']],
    ['completions are immutable', (j) => (j.spec.completions = 5), ['spec.completions']],
    [
      'the selector is immutable',
      (j) => {
        j.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1', extra: 'x' } };
        j.spec.template.metadata!.labels!.extra = 'x';
      },
      ['spec.selector', 'spec.template'],
    ],
  ])('%s', (_name, mutate, fields) => {
    const old = defaulted();
    const next = structuredClone(old);
    mutate(next);
    expect(validateJobUpdate(next, old).map((c) => c.field)).toEqual(fields);
  });
});
