import { describe, it, expect } from 'vitest';
import type { Pod, ServiceAccount, VolumeProjection } from '@mk8s/shared';
import { messages, mutate, run, type Mutator } from './testutil.js';

describe('ServiceAccount validation', () => {
  const newSA = (m: Mutator<ServiceAccount> = () => {}) => mutate<ServiceAccount>({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'default' } }, m);
  it.each<[string, Mutator<ServiceAccount>, Array<[string, string]>]>([
    ['bare', () => {}, []],
    ['secrets and pull secrets', (s) => ((s.secrets = [{ name: 'tok' }]), (s.imagePullSecrets = [{ name: 'reg' }])), []],
    ['automount false', (s) => (s.automountServiceAccountToken = false), []],
    ['automount not a boolean', (s) => ((s as { automountServiceAccountToken: unknown }).automountServiceAccountToken = 'no'), [['automountServiceAccountToken', 'FieldValueInvalid']]],
    ['secrets not a list', (s) => ((s as { secrets: unknown }).secrets = 'tok'), [['secrets', 'FieldValueInvalid']]],
    ['secret entry not an object', (s) => ((s as { secrets: unknown }).secrets = ['tok']), [['secrets[0]', 'FieldValueInvalid']]],
    ['pull secret name not a string', (s) => ((s as { imagePullSecrets: unknown }).imagePullSecrets = [{ name: 5 }]), [['imagePullSecrets[0].name', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('ServiceAccount', newSA(m))).toEqual(want);
  });
});

describe('projected volume validation', () => {
  const podWith = (sources: VolumeProjection[]): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/v' }] }],
      volumes: [{ name: 'v', projected: { sources } }],
    },
  });
  const token = (t: Partial<NonNullable<VolumeProjection['serviceAccountToken']>>): VolumeProjection => ({ serviceAccountToken: { path: 'token', ...t } });
  const P = 'spec.volumes[0].projected';
  it.each<[string, VolumeProjection[], string[]]>([
    [
      'kube-api-access shape',
      [
        token({ expirationSeconds: 3607 }),
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      [],
    ],
    ['token defaults to an hour', [token({})], []],
    ['token under ten minutes', [token({ expirationSeconds: 599 })], [`${P}.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes`]],
    ['token beyond 2^32 seconds', [token({ expirationSeconds: 2 ** 32 + 1 })], [`${P}.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds`]],
    ['token without path', [{ serviceAccountToken: { path: '' } }], [`${P}.sources[0].serviceAccountToken.path: Required value`]],
    ['absolute path', [token({ path: '/etc/token' })], [`${P}.sources[0].serviceAccountToken.path: Invalid value: "/etc/token": must be a relative path`]],
    ['climbing path', [{ configMap: { name: 'c', items: [{ key: 'k', path: 'a/../../x' }] } }], [`${P}.sources[0].configMap.items[0].path: Invalid value: "a/../../x": must not contain '..'`]],
    ['two kinds in one source', [{ ...token({}), configMap: { name: 'c' } }], [`${P}.sources[0]: Forbidden: may not specify more than 1 volume type per source`]],
    ['empty source', [{}], [`${P}.sources[0]: Required value: must specify exactly 1 volume type per source`]],
    ['secret without name', [{ secret: {} }], [`${P}.sources[0].secret.name: Required value`]],
    ['duplicate paths', [token({ path: 'x' }), { downwardAPI: { items: [{ path: 'x', fieldRef: { fieldPath: 'metadata.name' } }] } }], [`${P}: Invalid value: "x": conflicting duplicate paths`]],
    ['downward file without a ref', [{ downwardAPI: { items: [{ path: 'n' }] } }], [`${P}.sources[0].downwardAPI.items[0]: Required value: one of fieldRef and resourceFieldRef is required`]],
  ])('%s', (_name, sources, want) => {
    expect(messages('Pod', podWith(sources))).toEqual(want);
  });
});
