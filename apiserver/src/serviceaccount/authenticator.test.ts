import { describe, it, expect } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import type { KubeObject } from '@mk8s/shared';
import { buildClaims, type ClaimsInput } from './claims.js';
import { ServiceAccountAuthenticator, staleReason, type ObjectLookups } from './authenticator.js';
import { signToken } from './jwt.js';
import { parseSigningKey, type SigningKey } from './keys.js';

const newKey = (): SigningKey => parseSigningKey(String(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' })));
const key = newKey();
const otherKey = newKey();
const NOW = Date.parse('2026-05-01T00:00:00Z');
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

const obj = (name: string, uid: string, deletionTimestamp?: string): KubeObject => ({ apiVersion: 'v1', kind: 'X', metadata: { name, uid, ...(deletionTimestamp ? { deletionTimestamp } : {}) } });

/** Lookups over a "cache" and a "storage" map, recording fresh reads. */
function fakeLookups(cache: Map<string, KubeObject>, storage: Map<string, KubeObject> = cache) {
  const freshReads: string[] = [];
  const read = (kind: string) => async (...args: unknown[]) => {
    const fresh = args[args.length - 1] as boolean;
    const key = `${kind}/${String(args[args.length - 2])}`;
    if (fresh) freshReads.push(key);
    return (fresh ? storage : cache).get(key);
  };
  const lookups: ObjectLookups = { serviceAccount: read('sa'), pod: read('pod'), secret: read('secret'), node: read('node') };
  return { lookups, freshReads };
}

const base: ClaimsInput = { issuer: ISSUER, audiences: [ISSUER], namespace: 'ns', serviceAccount: { name: 'robot', uid: 'sa-uid' }, expirationSeconds: 3600, now: NOW, jti: 'j' };
const objects = new Map([
  ['sa/robot', obj('robot', 'sa-uid')],
  ['pod/web', obj('web', 'pod-uid')],
  ['pod/leaving', obj('leaving', 'leaving-uid', new Date(NOW - 30_000).toISOString())],
  ['pod/gone', obj('gone', 'gone-uid', new Date(NOW - 120_000).toISOString())],
]);

describe('ServiceAccountAuthenticator', () => {
  const auth = (lookups: ObjectLookups) => new ServiceAccountAuthenticator({ issuer: ISSUER, audiences: [ISSUER], keys: [key], lookups, now: () => NOW });

  it.each<[string, Partial<ClaimsInput>, SigningKey, boolean]>([
    ['a valid token', {}, key, true],
    ['a pod-bound token', { pod: { name: 'web', uid: 'pod-uid' } }, key, true],
    ['a pod deleted under a minute ago', { pod: { name: 'leaving', uid: 'leaving-uid' } }, key, true],
    ['a pod deleted over a minute ago', { pod: { name: 'gone', uid: 'gone-uid' } }, key, false],
    ['a missing pod', { pod: { name: 'nope', uid: 'x' } }, key, false],
    ['a recreated pod', { pod: { name: 'web', uid: 'old-uid' } }, key, false],
    ['a recreated service account', { serviceAccount: { name: 'robot', uid: 'old' } }, key, false],
    ['a missing service account', { serviceAccount: { name: 'ghost', uid: 'g' } }, key, false],
    ['another issuer', { issuer: 'https://other' }, key, false],
    ['another audience', { audiences: ['vault'] }, key, false],
    ['one of several audiences', { audiences: ['vault', ISSUER] }, key, true],
    ['expired within the leeway', { now: NOW - 3630_000 }, key, true],
    ['expired beyond the leeway', { now: NOW - 3700_000 }, key, false],
    ['not valid yet', { now: NOW + 120_000 }, key, false],
    ['an unknown key', {}, otherKey, false],
  ])('%s', async (_name, claims, signer, ok) => {
    const token = await signToken(signer, buildClaims({ ...base, ...claims }));
    const user = await auth(fakeLookups(objects).lookups).authenticate(token);
    expect(user?.name).toBe(ok ? 'system:serviceaccount:ns:robot' : undefined);
  });

  it('re-reads storage when the cache does not back the token', async () => {
    const token = await signToken(key, buildClaims(base));
    const { lookups, freshReads } = fakeLookups(new Map(), objects);
    expect((await auth(lookups).authenticate(token))?.uid).toBe('sa-uid');
    expect(freshReads).toEqual(['sa/robot']);
  });

  it('reports the requested audiences the token names', async () => {
    const token = await signToken(key, buildClaims({ ...base, audiences: [ISSUER, 'vault'] }));
    const a = auth(fakeLookups(objects).lookups);
    expect((await a.review(token, ['vault', 'other']))?.audiences).toEqual(['vault']);
    expect(await a.review(token, ['other'])).toBeUndefined();
  });

  it.each(['', 'abc', 'a.b.c', 'a.b', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'])('refuses garbage %j', async (token) => {
    expect(await auth(fakeLookups(objects).lookups).authenticate(token)).toBeUndefined();
  });
});

describe('staleReason', () => {
  it.each<[string, KubeObject | undefined, string | undefined]>([
    ['present', obj('x', 'u'), undefined],
    ['missing', undefined, 'pod x not found'],
    ['other uid', obj('x', 'v'), 'pod UID (v) does not match claim (u)'],
    ['being deleted', obj('x', 'u', new Date(NOW + 30_000).toISOString()), undefined],
    ['deleted long ago', obj('x', 'u', new Date(NOW - 61_000).toISOString()), 'pod x has been deleted'],
  ])('%s', (_name, o, want) => {
    expect(staleReason('pod', { name: 'x', uid: 'u' }, o, NOW)).toBe(want);
  });
});
