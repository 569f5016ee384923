import { describe, it, expect } from 'vitest';
import type { Deployment, HorizontalPodAutoscaler, PodTemplateSpec, ReplicaSet, ReplicationController, Scale } from '@mk8s/shared';
import { messages, mutate, run, runUpdate, type Mutator } from './testutil.js';
import { strategies } from './index.js';

const template = (): PodTemplateSpec => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
});

const newRC = (m: Mutator<ReplicationController> = () => {}) =>
  mutate<ReplicationController>(
    { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web', namespace: 'd' }, spec: { replicas: 2, selector: { app: 'web' }, template: template() } },
    m,
  );

const newRS = (m: Mutator<ReplicaSet> = () => {}) =>
  mutate<ReplicaSet>(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'd' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template() },
    },
    m,
  );

const newDeployment = (m: Mutator<Deployment> = () => {}) =>
  mutate<Deployment>(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'd' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template() },
    },
    m,
  );

describe('ReplicationController validation', () => {
  it.each<[string, Mutator<ReplicationController>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['selector defaulted from template labels', (rc) => delete rc.spec.selector, []],
    ['negative replicas', (rc) => (rc.spec.replicas = -1), [['spec.replicas', 'FieldValueInvalid']]],
    ['selector mismatch', (rc) => (rc.spec.selector = { app: 'other' }), [['spec.template.metadata.labels', 'FieldValueInvalid']]],
    ['no selector and no labels', (rc) => (delete rc.spec.selector, delete rc.spec.template!.metadata), [['spec.selector', 'FieldValueRequired']]],
    ['template missing', (rc) => delete rc.spec.template, [['spec.template', 'FieldValueRequired']]],
    ['template restartPolicy must be Always', (rc) => (rc.spec.template!.spec.restartPolicy = 'Never'), [['spec.template.spec.restartPolicy', 'FieldValueNotSupported']]],
    ['template container without name', (rc) => (rc.spec.template!.spec.containers[0]!.name = ''), [['spec.template.spec.containers[0].name', 'FieldValueRequired']]],
    ['template may omit image', (rc) => delete rc.spec.template!.spec.containers[0]!.image, []],
    ['bad template label', (rc) => (rc.spec.template!.metadata!.labels!['bad key'] = 'x'), [['spec.template.metadata.labels', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('ReplicationController', newRC(m))).toEqual(want);
  });

  it('words the selector mismatch like Kubernetes', () => {
    expect(messages('ReplicationController', newRC((rc) => (rc.spec.selector = { app: 'x' })))).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
  });
});

describe('ReplicaSet validation', () => {
  it.each<[string, Mutator<ReplicaSet>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['valid matchExpressions', (rs) => (rs.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }), []],
    ['negative replicas', (rs) => (rs.spec.replicas = -2), [['spec.replicas', 'FieldValueInvalid']]],
    ['selector missing', (rs) => delete (rs.spec as Partial<ReplicaSet['spec']>).selector, [['spec.selector', 'FieldValueRequired']]],
    ['empty selector', (rs) => (rs.spec.selector = {}), [['spec.selector', 'FieldValueInvalid']]],
    ['selector mismatch', (rs) => (rs.spec.selector = { matchLabels: { app: 'api' } }), [['spec.template.metadata.labels', 'FieldValueInvalid']]],
    [
      'expression mismatch',
      (rs) => (rs.spec.selector = { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }),
      [['spec.template.metadata.labels', 'FieldValueInvalid']],
    ],
    ['negative minReadySeconds', (rs) => (rs.spec.minReadySeconds = -1), [['spec.minReadySeconds', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('ReplicaSet', newRS(m))).toEqual(want);
  });

  it.each<[string, Mutator<ReplicaSet>, Array<[string, string]>]>([
    ['scale change', (rs) => (rs.spec.replicas = 5), []],
    ['selector change', (rs) => ((rs.spec.selector = { matchLabels: { app: 'web', v: '2' } }), (rs.spec.template!.metadata!.labels!.v = '2')), [['spec.selector', 'FieldValueInvalid']]],
  ])('update: %s', (_name, m, want) => {
    expect(runUpdate('ReplicaSet', newRS(m), newRS())).toEqual(want);
  });
});

describe('Deployment validation', () => {
  const ru = (d: Deployment, maxSurge?: number | string, maxUnavailable?: number | string) =>
    (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } });
  it.each<[string, Mutator<Deployment>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['valid Recreate', (d) => (d.spec.strategy = { type: 'Recreate' }), []],
    ['valid int surge', (d) => ru(d, 1, 0), []],
    ['valid percent', (d) => ru(d, '50%', '0%'), []],
    ['negative replicas', (d) => (d.spec.replicas = -1), [['spec.replicas', 'FieldValueInvalid']]],
    ['empty selector', (d) => (d.spec.selector = {}), [['spec.selector', 'FieldValueInvalid']]],
    ['selector mismatch', (d) => (d.spec.selector = { matchLabels: { app: 'x' } }), [['spec.template.metadata.labels', 'FieldValueInvalid']]],
    ['bad strategy type', (d) => (d.spec.strategy = { type: 'BlueGreen' as never }), [['spec.strategy.type', 'FieldValueNotSupported']]],
    ['Recreate with rollingUpdate', (d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: {} }), [['spec.strategy.rollingUpdate', 'FieldValueForbidden']]],
    ['both zero', (d) => ru(d, 0, 0), [['spec.strategy.rollingUpdate.maxUnavailable', 'FieldValueInvalid']]],
    ['both zero percent', (d) => ru(d, '0%', 0), [['spec.strategy.rollingUpdate.maxUnavailable', 'FieldValueInvalid']]],
    ['bad percent', (d) => ru(d, '10 percent', 1), [['spec.strategy.rollingUpdate.maxSurge', 'FieldValueInvalid']]],
    ['negative surge', (d) => ru(d, -1, 1), [['spec.strategy.rollingUpdate.maxSurge', 'FieldValueInvalid']]],
    ['unavailable over 100%', (d) => ru(d, 1, '150%'), [['spec.strategy.rollingUpdate.maxUnavailable', 'FieldValueInvalid']]],
    ['negative revisionHistoryLimit', (d) => (d.spec.revisionHistoryLimit = -1), [['spec.revisionHistoryLimit', 'FieldValueInvalid']]],
    [
      'progress deadline not above minReady',
      (d) => ((d.spec.minReadySeconds = 10), (d.spec.progressDeadlineSeconds = 10)),
      [['spec.progressDeadlineSeconds', 'FieldValueInvalid']],
    ],
    ['template restartPolicy', (d) => (d.spec.template.spec.restartPolicy = 'OnFailure'), [['spec.template.spec.restartPolicy', 'FieldValueNotSupported']]],
  ])('%s', (_name, m, want) => {
    expect(run('Deployment', newDeployment(m))).toEqual(want);
  });

  it.each<[string, Mutator<Deployment>, Array<[string, string]>]>([
    ['image change', (d) => (d.spec.template.spec.containers[0]!.image = 'nginx:1.26'), []],
    ['selector change', (d) => (d.spec.selector = { matchLabels: { app: 'web', x: 'y' } }), [
      ['spec.template.metadata.labels', 'FieldValueInvalid'],
      ['spec.selector', 'FieldValueInvalid'],
    ]],
  ])('update: %s', (_name, m, want) => {
    expect(runUpdate('Deployment', newDeployment(m), newDeployment())).toEqual(want);
  });

  it('words both-zero like Kubernetes', () => {
    expect(messages('Deployment', newDeployment((d) => ru(d, 0, 0)))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
  });

  it.each<[string, Record<string, number>, Array<[string, string]>]>([
    ['good status', { replicas: 3, readyReplicas: 2, availableReplicas: 2 }, []],
    ['negative ready', { replicas: 3, readyReplicas: -1 }, [['status.readyReplicas', 'FieldValueInvalid']]],
  ])('status: %s', (_name, status, want) => {
    const d = newDeployment();
    const updated = { ...d, status };
    expect(strategies.Deployment!.validateStatusUpdate!(updated, d).map((c) => [c.field, c.reason])).toEqual(want);
  });
});

describe('Scale validation', () => {
  it.each<[string, number, Array<[string, string]>]>([
    ['zero', 0, []],
    ['five', 5, []],
    ['negative', -1, [['spec.replicas', 'FieldValueInvalid']]],
  ])('%s', (_name, replicas, want) => {
    const scale: Scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'd' }, spec: { replicas } };
    expect(run('Scale', scale)).toEqual(want);
  });
});

const newHPA = (m: Mutator<HorizontalPodAutoscaler> = () => {}) =>
  mutate<HorizontalPodAutoscaler>(
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'd' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5 },
    },
    m,
  );

describe('HorizontalPodAutoscaler validation', () => {
  const cpu = (target: object) => [{ type: 'Resource' as const, resource: { name: 'cpu', target: target as never } }];
  it.each<[string, Mutator<HorizontalPodAutoscaler>, Array<[string, string]>]>([
    ['valid (default metric)', () => {}, []],
    ['valid utilization', (h) => (h.spec.metrics = cpu({ type: 'Utilization', averageUtilization: 50 })), []],
    ['valid average value', (h) => (h.spec.metrics = cpu({ type: 'AverageValue', averageValue: '500m' })), []],
    ['kind missing', (h) => (h.spec.scaleTargetRef.kind = ''), [['spec.scaleTargetRef.kind', 'FieldValueRequired']]],
    ['name missing', (h) => (h.spec.scaleTargetRef.name = ''), [['spec.scaleTargetRef.name', 'FieldValueRequired']]],
    ['maxReplicas 0', (h) => (h.spec.maxReplicas = 0), [['spec.maxReplicas', 'FieldValueInvalid']]],
    ['minReplicas 0', (h) => (h.spec.minReplicas = 0), [['spec.minReplicas', 'FieldValueInvalid']]],
    ['min above max', (h) => (h.spec.minReplicas = 6), [['spec.maxReplicas', 'FieldValueInvalid']]],
    ['metric type unknown', (h) => (h.spec.metrics = [{ type: 'Magic' as never }]), [['spec.metrics[0].type', 'FieldValueNotSupported']]],
    ['resource source missing', (h) => (h.spec.metrics = [{ type: 'Resource' }]), [['spec.metrics[0].resource', 'FieldValueRequired']]],
    ['resource name missing', (h) => (h.spec.metrics = [{ type: 'Resource', resource: { name: '', target: { type: 'Utilization', averageUtilization: 5 } } }]), [['spec.metrics[0].resource.name', 'FieldValueRequired']]],
    ['utilization zero', (h) => (h.spec.metrics = cpu({ type: 'Utilization', averageUtilization: 0 })), [['spec.metrics[0].resource.target.averageUtilization', 'FieldValueInvalid']]],
    ['utilization missing', (h) => (h.spec.metrics = cpu({ type: 'Utilization' })), [['spec.metrics[0].resource.target.averageUtilization', 'FieldValueRequired']]],
    ['target type bad', (h) => (h.spec.metrics = cpu({ type: 'Percent', averageUtilization: 5 })), [['spec.metrics[0].resource.target.type', 'FieldValueNotSupported']]],
    ['bad average value', (h) => (h.spec.metrics = cpu({ type: 'AverageValue', averageValue: 'x' })), [['spec.metrics[0].resource.target.averageValue', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('HorizontalPodAutoscaler', newHPA(m))).toEqual(want);
  });
});
