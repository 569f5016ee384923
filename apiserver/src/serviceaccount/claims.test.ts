import { describe, it, expect } from 'vitest';
import { buildClaims, kubernetesClaimsOf, userFromClaims, type ClaimsInput, type KubernetesClaims } from './claims.js';

const NOW = Date.parse('2026-01-02T03:04:05.678Z');
const SECONDS = Math.floor(NOW / 1000);
const base: ClaimsInput = {
  issuer: 'https://kubernetes.default.svc.cluster.local',
  audiences: ['https://kubernetes.default.svc.cluster.local'],
  namespace: 'team-a',
  serviceAccount: { name: 'builder', uid: 'sa-uid' },
  expirationSeconds: 3600,
  now: NOW,
  jti: 'id-1',
};

describe('buildClaims', () => {
  it.each<[string, Partial<ClaimsInput>, KubernetesClaims]>([
    ['unbound', {}, { namespace: 'team-a', serviceaccount: { name: 'builder', uid: 'sa-uid' } }],
    [
      'bound to a pod on a node',
      { pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } },
      { namespace: 'team-a', serviceaccount: { name: 'builder', uid: 'sa-uid' }, pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } },
    ],
    ['bound to a secret', { secret: { name: 's', uid: 'secret-uid' } }, { namespace: 'team-a', serviceaccount: { name: 'builder', uid: 'sa-uid' }, secret: { name: 's', uid: 'secret-uid' } }],
  ])('%s', (_name, extra, k) => {
    expect(buildClaims({ ...base, ...extra })).toEqual({
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: SECONDS + 3600,
      iat: SECONDS,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: 'id-1',
      'kubernetes.io': k,
      nbf: SECONDS,
      sub: 'system:serviceaccount:team-a:builder',
    });
  });
});

describe('kubernetesClaimsOf', () => {
  const good = buildClaims({ ...base, pod: { name: 'web', uid: 'pod-uid' } }) as unknown as Record<string, unknown>;
  const withK = (k: unknown, sub = good.sub) => ({ ...good, sub, 'kubernetes.io': k });
  it.each<[string, Record<string, unknown>, boolean]>([
    ['well formed', good, true],
    ['no kubernetes.io claims', { ...good, 'kubernetes.io': undefined }, false],
    ['no namespace', withK({ serviceaccount: { name: 'builder', uid: 'sa-uid' } }), false],
    ['no service account uid', withK({ namespace: 'team-a', serviceaccount: { name: 'builder' } }), false],
    ['subject names another account', withK(good['kubernetes.io'], 'system:serviceaccount:team-a:other'), false],
    ['subject in another namespace', withK(good['kubernetes.io'], 'system:serviceaccount:team-b:builder'), false],
    ['malformed pod reference', withK({ namespace: 'team-a', serviceaccount: { name: 'builder', uid: 'sa-uid' }, pod: 'web' }), false],
  ])('%s', (_name, payload, ok) => {
    expect(kubernetesClaimsOf(payload) !== undefined).toBe(ok);
  });
});

describe('userFromClaims', () => {
  it.each<[string, KubernetesClaims, string | undefined, Record<string, string[]> | undefined]>([
    ['plain token', { namespace: 'ns', serviceaccount: { name: 'sa', uid: 'u' } }, undefined, undefined],
    ['with a jti', { namespace: 'ns', serviceaccount: { name: 'sa', uid: 'u' } }, 'abc', { 'authentication.kubernetes.io/credential-id': ['JTI=abc'] }],
    [
      'pod-bound',
      { namespace: 'ns', serviceaccount: { name: 'sa', uid: 'u' }, pod: { name: 'p', uid: 'pu' }, node: { name: 'n', uid: 'nu' } },
      'abc',
      {
        'authentication.kubernetes.io/pod-name': ['p'],
        'authentication.kubernetes.io/pod-uid': ['pu'],
        'authentication.kubernetes.io/node-name': ['n'],
        'authentication.kubernetes.io/node-uid': ['nu'],
        'authentication.kubernetes.io/credential-id': ['JTI=abc'],
      },
    ],
  ])('%s', (_name, k, jti, extra) => {
    expect(userFromClaims(k, jti)).toEqual({
      name: 'system:serviceaccount:ns:sa',
      uid: 'u',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
      ...(extra ? { extra } : {}),
    });
  });
});
