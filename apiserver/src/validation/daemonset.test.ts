import { describe, expect, it } from 'vitest';
import type { DaemonSet } from '@mk8s/shared';
import { defaultDaemonSet } from '../defaults/daemonset.js';
import { validateDaemonSet, validateDaemonSetStatusUpdate, validateDaemonSetUpdate } from './daemonset.js';

function newDaemonSet(mutate: (ds: DaemonSet) => void = () => {}): DaemonSet {
  const ds: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'mk8s/busybox:1' }] } },
    },
  };
  mutate(ds);
  return ds;
}

const defaulted = (mutate?: (ds: DaemonSet) => void): DaemonSet => {
  const ds = newDaemonSet(mutate);
  defaultDaemonSet(ds);
  return ds;
};

describe('defaultDaemonSet', () => {
  it.each<[string, (ds: DaemonSet) => void, Partial<DaemonSet['spec']>]>([
    ['nothing set', () => {}, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 }],
    ['an empty type', (ds) => (ds.spec.updateStrategy = { type: '' as 'OnDelete' }), { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } }],
    ['OnDelete gets no rollingUpdate', (ds) => (ds.spec.updateStrategy = { type: 'OnDelete' }), { updateStrategy: { type: 'OnDelete' } }],
    [
      'a set maxSurge is kept',
      (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxSurge: '10%' } }),
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } } },
    ],
    ['a set revisionHistoryLimit is kept', (ds) => (ds.spec.revisionHistoryLimit = 0), { revisionHistoryLimit: 0 }],
  ])('%s', (_name, mutate, want) => {
    expect(defaulted(mutate).spec).toMatchObject(want);
  });
  it('leaves minReadySeconds unset and defaults the pod template like a Deployment', () => {
    const ds = defaulted();
    expect(ds.spec.minReadySeconds).toBeUndefined();
    expect(ds.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(ds.spec.template.spec.tolerations).toBeUndefined();
  });
  it('is idempotent', () => {
    const ds = defaulted();
    const again = structuredClone(ds);
    defaultDaemonSet(again);
    expect(again).toEqual(ds);
  });
});

describe('validateDaemonSet', () => {
  it.each<[string, (ds: DaemonSet) => void, [field: string, message: string][]]>([
    ['a defaulted daemonset is valid', () => {}, []],
    ['OnDelete is valid', (ds) => (ds.spec.updateStrategy = { type: 'OnDelete' }), []],
    ['maxSurge alone is valid', (ds) => (ds.spec.updateStrategy!.rollingUpdate = { maxUnavailable: 0, maxSurge: '25%' }), []],
    [
      'a selector not matching the template labels',
      (ds) => (ds.spec.selector = { matchLabels: { app: 'other' } }),
      [['spec.template.metadata.labels', 'Invalid value: {"app":"agent"}: `selector` does not match template `labels`']],
    ],
    [
      'a missing selector',
      (ds) => delete (ds.spec as Partial<DaemonSet['spec']>).selector,
      [
        ['spec.selector', 'Required value'],
        ['spec.template.metadata.labels', 'Invalid value: {"app":"agent"}: `selector` does not match template `labels`'],
      ],
    ],
    ['an empty selector', (ds) => (ds.spec.selector = {}), [['spec.selector', 'Invalid value: {}: empty selector is invalid for daemonset']]],
    [
      'restartPolicy OnFailure',
      (ds) => (ds.spec.template.spec.restartPolicy = 'OnFailure'),
      [['spec.template.spec.restartPolicy', 'Unsupported value: "OnFailure": supported values: "Always"']],
    ],
    [
      'activeDeadlineSeconds in the template',
      (ds) => (ds.spec.template.spec.activeDeadlineSeconds = 30),
      [['spec.template.spec.activeDeadlineSeconds', 'Forbidden: activeDeadlineSeconds in DaemonSet is not Supported']],
    ],
    ['no containers in the template', (ds) => (ds.spec.template.spec.containers = []), [['spec.template.spec.containers', 'Required value']]],
    [
      'an unknown strategy type',
      (ds) => (ds.spec.updateStrategy = { type: 'Recreate' as 'OnDelete' }),
      [['spec.updateStrategy', 'Unsupported value: {"type":"Recreate"}: supported values: "RollingUpdate", "OnDelete"']],
    ],
    ['RollingUpdate without rollingUpdate', (ds) => delete ds.spec.updateStrategy!.rollingUpdate, [['spec.updateStrategy.rollingUpdate', 'Required value']]],
    [
      'maxUnavailable and maxSurge both 0',
      (ds) => (ds.spec.updateStrategy!.rollingUpdate = { maxUnavailable: 0, maxSurge: '0%' }),
      [['spec.updateStrategy.rollingUpdate.maxUnavailable', 'Required value: cannot be 0 when maxSurge is 0']],
    ],
    [
      'maxUnavailable and maxSurge both non-zero',
      (ds) => (ds.spec.updateStrategy!.rollingUpdate = { maxUnavailable: 1, maxSurge: 1 }),
      [['spec.updateStrategy.rollingUpdate.maxSurge', 'Invalid value: 1: may not be set when maxUnavailable is non-zero']],
    ],
    [
      'a malformed percentage',
      (ds) => (ds.spec.updateStrategy!.rollingUpdate!.maxUnavailable = 'ten%'),
      [
        [
          'spec.updateStrategy.rollingUpdate.maxUnavailable',
          "Invalid value: \"ten%\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        ],
        ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'Required value: cannot be 0 when maxSurge is 0'],
      ],
    ],
    [
      'more than 100%',
      (ds) => (ds.spec.updateStrategy!.rollingUpdate!.maxUnavailable = '150%'),
      [
        ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'Invalid value: "150%": must not be greater than 100%'],
        ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'Required value: cannot be 0 when maxSurge is 0'],
      ],
    ],
    [
      'a negative maxUnavailable',
      (ds) => (ds.spec.updateStrategy!.rollingUpdate!.maxUnavailable = -1),
      [
        ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'Invalid value: -1: must be greater than or equal to 0'],
        ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'Required value: cannot be 0 when maxSurge is 0'],
      ],
    ],
    ['a negative minReadySeconds', (ds) => (ds.spec.minReadySeconds = -1), [['spec.minReadySeconds', 'Invalid value: -1: must be greater than or equal to 0']]],
    ['a negative revisionHistoryLimit', (ds) => (ds.spec.revisionHistoryLimit = -2), [['spec.revisionHistoryLimit', 'Invalid value: -2: must be greater than or equal to 0']]],
    ['a zero revisionHistoryLimit is valid', (ds) => (ds.spec.revisionHistoryLimit = 0), []],
  ])('%s', (_name, mutate, want) => {
    const ds = defaulted();
    mutate(ds);
    expect(validateDaemonSet(ds).map((c) => [c.field, c.message])).toEqual(want);
  });
  it('requires a spec', () => {
    expect(validateDaemonSet({ ...newDaemonSet(), spec: undefined as unknown as DaemonSet['spec'] }).map((c) => c.field)).toEqual(['spec']);
  });
});

describe('validateDaemonSetUpdate', () => {
  it.each<[string, (ds: DaemonSet) => void, string[]]>([
    ['the template may change', (ds) => (ds.spec.template.spec.containers[0]!.image = 'mk8s/busybox:2'), []],
    ['the update strategy may change', (ds) => (ds.spec.updateStrategy = { type: 'OnDelete' }), []],
    [
      'the selector is immutable',
      (ds) => {
        ds.spec.selector = { matchLabels: { app: 'agent', tier: 'node' } };
        ds.spec.template.metadata!.labels!.tier = 'node';
      },
      ['spec.selector'],
    ],
  ])('%s', (_name, mutate, fields) => {
    const old = defaulted();
    const next = structuredClone(old);
    mutate(next);
    expect(validateDaemonSetUpdate(next, old).map((c) => c.field)).toEqual(fields);
  });
  it('says the selector is immutable', () => {
    const old = defaulted();
    const next = defaulted((ds) => (ds.spec.selector = { matchLabels: { app: 'agent', x: 'y' } }));
    next.spec.template.metadata!.labels!.x = 'y';
    expect(validateDaemonSetUpdate(next, old).map((c) => c.message)).toEqual(['Invalid value: {"matchLabels":{"app":"agent","x":"y"}}: field is immutable']);
  });
});

describe('validateDaemonSetStatusUpdate', () => {
  const zero = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
  it.each<[string, DaemonSet['status'], DaemonSet['status'], string[]]>([
    ['counters may move', zero, { ...zero, desiredNumberScheduled: 3, currentNumberScheduled: 2, numberAvailable: 2, updatedNumberScheduled: 1 }, []],
    ['a negative counter', zero, { ...zero, numberReady: -1 }, ['status.numberReady']],
    ['a negative numberUnavailable', zero, { ...zero, numberUnavailable: -2 }, ['status.numberUnavailable']],
    ['a negative observedGeneration', zero, { ...zero, observedGeneration: -1 }, ['status.observedGeneration']],
    ['collisionCount may grow', { ...zero, collisionCount: 1 }, { ...zero, collisionCount: 2 }, []],
    ['collisionCount may not be decremented', { ...zero, collisionCount: 2 }, { ...zero, collisionCount: 1 }, ['status.collisionCount']],
    ['collisionCount may not be dropped', { ...zero, collisionCount: 2 }, zero, ['status.collisionCount']],
  ])('%s', (_name, before, after, fields) => {
    const old = defaulted((ds) => (ds.status = before));
    const next = defaulted((ds) => (ds.status = after));
    expect(validateDaemonSetStatusUpdate(next, old).map((c) => c.field)).toEqual(fields);
  });
});
