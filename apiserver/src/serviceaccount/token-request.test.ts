import { describe, it, expect } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { newNotFound, type KubeObject, type TokenRequest } from '@mk8s/shared';
import { parseSigningKey } from './keys.js';
import { createToken, validateTokenRequest, type TokenRequestLookups } from './token-request.js';

const signing = parseSigningKey(String(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' })));
const NOW = Date.parse('2026-05-01T00:00:00Z');
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const obj = (kind: string, name: string, uid: string, extra: object = {}): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'ns', uid }, ...extra });
const objects = new Map<string, KubeObject>([
  ['sa/robot', obj('ServiceAccount', 'robot', 'sa-uid')],
  ['pod/web', obj('Pod', 'web', 'pod-uid', { spec: { serviceAccountName: 'robot', nodeName: 'n1', containers: [] } })],
  ['pod/other', obj('Pod', 'other', 'other-uid', { spec: { serviceAccountName: 'default', containers: [] } })],
  ['secret/s', obj('Secret', 's', 'secret-uid')],
  ['node/n1', obj('Node', 'n1', 'node-uid')],
]);
const get = (kind: string, resource: string) => async (...args: string[]) => {
  const name = args[args.length - 1]!;
  const o = objects.get(`${kind}/${name}`);
  if (!o) throw newNotFound(resource, '', name);
  return o;
};
const lookups: TokenRequestLookups = {
  serviceAccount: get('sa', 'serviceaccounts'),
  pod: get('pod', 'pods'),
  secret: get('secret', 'secrets'),
  node: get('node', 'nodes'),
  findNode: async (name) => objects.get(`node/${name}`),
};
const issue = (spec: TokenRequest['spec'], sa = 'robot', extendExpiration = true) =>
  createToken({ issuer: ISSUER, audiences: [ISSUER], signing, now: () => NOW, newId: () => 'jti-1', extendExpiration }, lookups, 'ns', sa, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });

describe('validateTokenRequest', () => {
  it.each<[string, unknown, string[]]>([
    ['default', undefined, []],
    ['ten minutes', 600, []],
    ['under ten minutes', 599, ['spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes']],
    ['beyond 2^32', 2 ** 32 + 1, ['spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds']],
    ['not an integer', 'x', ['spec.expirationSeconds: Invalid value: "x": must be an integer']],
  ])('%s', (_name, exp, want) => {
    const tr = { spec: { expirationSeconds: exp } } as TokenRequest;
    expect(validateTokenRequest(tr).map((c) => `${c.field}: ${c.message}`)).toEqual(want);
  });
});

describe('createToken', () => {
  it('defaults audiences and lifetime and signs the claims', async () => {
    const tr = await issue({});
    expect(tr.spec).toEqual({ audiences: [ISSUER], expirationSeconds: 3600 });
    expect(tr.status?.expirationTimestamp).toBe('2026-05-01T01:00:00Z');
    const token = tr.status!.token;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: signing.kid });
    const { payload } = await jwtVerify(token, signing.key, { issuer: ISSUER, audience: ISSUER, currentDate: new Date(NOW) });
    expect(payload).toEqual({
      aud: [ISSUER],
      exp: NOW / 1000 + 3600,
      iat: NOW / 1000,
      nbf: NOW / 1000,
      iss: ISSUER,
      jti: 'jti-1',
      sub: 'system:serviceaccount:ns:robot',
      'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'robot', uid: 'sa-uid' } },
    });
  });

  it.each<[string, TokenRequest['spec'], Record<string, unknown>]>([
    ['a pod, with its node', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }, { pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } }],
    ['a pod by uid', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-uid' } }, { pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } }],
    ['a secret', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's' } }, { secret: { name: 's', uid: 'secret-uid' } }],
    ['a node', { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } }, { node: { name: 'n1', uid: 'node-uid' } }],
  ])('binds to %s', async (_name, spec, bound) => {
    const claims = decodeJwt((await issue(spec)).status!.token);
    expect(claims['kubernetes.io']).toEqual({ namespace: 'ns', serviceaccount: { name: 'robot', uid: 'sa-uid' }, ...bound });
  });

  it.each<[string, TokenRequest['spec'], string, { code: number; reason: string; message: string }]>([
    ['short lifetime', { expirationSeconds: 60 }, 'robot', { code: 422, reason: 'Invalid', message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes' }],
    ['missing account', {}, 'ghost', { code: 404, reason: 'NotFound', message: 'serviceaccounts "ghost" not found' }],
    ['missing pod', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } }, 'robot', { code: 404, reason: 'NotFound', message: 'pods "gone" not found' }],
    [
      'pod of another account',
      { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } },
      'robot',
      { code: 400, reason: 'BadRequest', message: 'cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name.' },
    ],
    [
      'uid mismatch',
      { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'old' } },
      'robot',
      {
        code: 409,
        reason: 'Conflict',
        message: 'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated',
      },
    ],
    ['unsupported kind', { boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' } }, 'robot', { code: 400, reason: 'BadRequest', message: 'cannot bind token to object of type apps/v1, Kind=Deployment' }],
  ])('refuses %s', async (_name, spec, sa, err) => {
    await expect(issue(spec, sa)).rejects.toMatchObject(err);
  });

  it.each<[string, TokenRequest['spec'], boolean, number]>([
    ['kubelet token for a pod is extended', { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }, true, 365 * 24 * 3600],
    ['not when extension is off', { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }, false, 3607],
    ['not without a pod', { expirationSeconds: 3607 }, true, 3607],
    ['not for another audience', { expirationSeconds: 3607, audiences: ['vault'], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }, true, 3607],
    ['not for another lifetime', { expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }, true, 3600],
  ])('%s', async (_name, spec, extend, lifetime) => {
    const tr = await issue(spec, 'robot', extend);
    const claims = decodeJwt(tr.status!.token) as { exp: number; iat: number; 'kubernetes.io': { warnafter?: number } };
    expect(claims.exp - claims.iat).toBe(lifetime);
    expect(claims['kubernetes.io'].warnafter).toBe(lifetime === 3607 || lifetime === 3600 ? undefined : claims.iat + 3607);
    expect(Date.parse(tr.status!.expirationTimestamp)).toBe(NOW + spec.expirationSeconds! * 1000);
  });
});
