import { describe, it, expect } from 'vitest';
import type { Pod } from '@mk8s/shared';
import { mutate, run } from './testutil.js';

type Spec = Record<string, unknown>;
const base: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
const withSpec = (extra: Spec): Pod => mutate(base, (p) => Object.assign(p.spec, extra));

const nodeTerm = (expr: Spec) => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } } },
});
const NA = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';
const podTerm = (term: Spec) => ({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } });
const PA = 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]';
const spread = (...cs: Spec[]) => ({ topologySpreadConstraints: cs });
const good = { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'x' } } };

describe('affinity and topology spread validation', () => {
  it.each<[string, Spec, Array<[string, string]>]>([
    ['node affinity In', nodeTerm({ key: 'zone', operator: 'In', values: ['a'] }), []],
    ['node affinity Gt', nodeTerm({ key: 'cores', operator: 'Gt', values: ['4'] }), []],
    ['node affinity In without values', nodeTerm({ key: 'zone', operator: 'In' }), [[`${NA}[0].matchExpressions[0].values`, 'FieldValueRequired']]],
    ['node affinity Exists with values', nodeTerm({ key: 'zone', operator: 'Exists', values: ['a'] }), [[`${NA}[0].matchExpressions[0].values`, 'FieldValueForbidden']]],
    ['node affinity Gt two values', nodeTerm({ key: 'cores', operator: 'Gt', values: ['1', '2'] }), [[`${NA}[0].matchExpressions[0].values`, 'FieldValueRequired']]],
    ['node affinity Lt not a number', nodeTerm({ key: 'cores', operator: 'Lt', values: ['x'] }), [[`${NA}[0].matchExpressions[0].values[0]`, 'FieldValueInvalid']]],
    ['node affinity bad operator', nodeTerm({ key: 'zone', operator: 'Near' }), [[`${NA}[0].matchExpressions[0].operator`, 'FieldValueNotSupported']]],
    ['node affinity bad key', nodeTerm({ key: 'bad key', operator: 'Exists' }), [[`${NA}[0].matchExpressions[0].key`, 'FieldValueInvalid']]],
    [
      'node affinity no terms',
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } },
      [[NA, 'FieldValueRequired']],
    ],
    [
      'matchFields on a label key',
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } },
      [[`${NA}[0].matchFields[0].key`, 'FieldValueInvalid']],
    ],
    [
      'preferred weight out of range',
      { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchExpressions: [] } }] } } },
      [['spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', 'FieldValueInvalid']],
    ],
    ['pod anti-affinity ok', podTerm({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } }), []],
    ['pod anti-affinity without topologyKey', podTerm({ labelSelector: { matchLabels: { app: 'x' } } }), [[`${PA}.topologyKey`, 'FieldValueRequired']]],
    [
      'pod anti-affinity bad selector',
      podTerm({ topologyKey: 'zone', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }),
      [[`${PA}.labelSelector.matchExpressions[0].values`, 'FieldValueRequired']],
    ],
    ['pod affinity bad namespace', podTerm({ topologyKey: 'zone', namespaces: ['Bad_NS'] }), [[`${PA}.namespaces[0]`, 'FieldValueInvalid']]],
    [
      'weighted pod affinity weight',
      { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'zone' } }] } } },
      [['spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', 'FieldValueInvalid']],
    ],
    ['spread ok', spread(good), []],
    ['spread maxSkew 0', spread({ ...good, maxSkew: 0 }), [['spec.topologySpreadConstraints[0].maxSkew', 'FieldValueInvalid']]],
    ['spread no topologyKey', spread({ ...good, topologyKey: '' }), [['spec.topologySpreadConstraints[0].topologyKey', 'FieldValueRequired']]],
    ['spread bad whenUnsatisfiable', spread({ ...good, whenUnsatisfiable: 'Maybe' }), [['spec.topologySpreadConstraints[0].whenUnsatisfiable', 'FieldValueNotSupported']]],
    [
      'spread minDomains with ScheduleAnyway',
      spread({ ...good, whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }),
      [['spec.topologySpreadConstraints[0].minDomains', 'FieldValueInvalid']],
    ],
    ['spread duplicate', spread(good, { ...good, maxSkew: 2 }), [['spec.topologySpreadConstraints[1]', 'FieldValueDuplicate']]],
  ])('%s', (_name, extra, want) => {
    expect(run('Pod', withSpec(extra))).toEqual(want);
  });
});
