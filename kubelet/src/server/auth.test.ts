import { describe, it, expect } from 'vitest';
import { silentLogger } from '@mk8s/shared';
import { authenticatedUser, bearerToken, checkRequest, kubeletRequestAttributes, type AuthDeps, type KubeletAttributes, type KubeletUser } from './auth.js';

describe('bearerToken', () => {
  it.each<[string, string | string[] | undefined, string | undefined]>([
    ['bearer', 'Bearer abc.def', 'abc.def'],
    ['case-insensitive scheme', 'bearer tok', 'tok'],
    ['basic', 'Basic dXNlcjpw', undefined],
    ['empty token', 'Bearer ', undefined],
    ['absent', undefined, undefined],
    ['array', ['Bearer first', 'Bearer second'], 'first'],
  ])('%s', (_name, header, want) => {
    expect(bearerToken(header)).toBe(want);
  });
});

describe('authenticatedUser', () => {
  const log = silentLogger();
  it.each<[string, string | undefined, (t: string) => Promise<boolean>, boolean]>([
    ['accepted', 'Bearer good', async (t) => t === 'good', true],
    ['rejected', 'Bearer bad', async (t) => t === 'good', false],
    ['no header', undefined, async () => true, false],
    ['authenticator throws', 'Bearer good', async () => Promise.reject(new Error('apiserver down')), false],
  ])('%s', async (_name, header, authenticate, want) => {
    expect((await authenticatedUser(header, authenticate, log)) !== undefined).toBe(want);
  });
});

describe('kubeletRequestAttributes', () => {
  it.each([
    ['GET', '/containerLogs/ns/p/c?follow=true', 'get', 'proxy'],
    ['POST', '/exec/ns/p/c?command=sh', 'create', 'proxy'],
    ['GET', '/exec/ns/p/c', 'get', 'proxy'],
    ['POST', '/portForward/ns/p', 'create', 'proxy'],
    ['GET', '/stats/summary', 'get', 'stats'],
    ['GET', '/metrics', 'get', 'metrics'],
    ['GET', '/metrics/cadvisor', 'get', 'metrics'],
    ['GET', '/logs/syslog', 'get', 'log'],
    ['GET', '/spec/', 'get', 'spec'],
    ['GET', '/statsx', 'get', 'proxy'],
  ])('%s %s -> %s nodes/%s', (method, path, verb, subresource) => {
    expect(kubeletRequestAttributes(method, path, 'n1')).toEqual({ verb, resource: 'nodes', subresource, name: 'n1' });
  });
});

describe('checkRequest', () => {
  const log = silentLogger();
  const alice: KubeletUser = { username: 'alice', groups: ['devs'] };
  const seen: KubeletAttributes[] = [];
  const deps = (authorize?: AuthDeps['authorize']): AuthDeps => ({ authenticate: async (t) => (t === 'good' ? alice : t === 'valid' ? true : false), authorize, nodeName: 'n1', logger: log });
  const onlyStats = async (u: KubeletUser, a: KubeletAttributes) => {
    seen.push(a);
    return u.username === 'alice' && a.subresource === 'stats';
  };

  it('401 without a valid token, whatever the authorizer says', async () => {
    expect(await checkRequest('Bearer bad', 'GET', '/stats/summary', deps(async () => true))).toMatchObject({ ok: false, code: 401 });
  });
  it('authenticated is enough without an authorizer', async () => {
    expect(await checkRequest('Bearer good', 'POST', '/exec/a/b/c', deps())).toEqual({ ok: true });
  });
  it('asks the authorizer about this node and answers 403 in the kubelet wording', async () => {
    expect(await checkRequest('Bearer good', 'GET', '/stats/summary', deps(onlyStats))).toEqual({ ok: true });
    expect(seen.at(-1)).toEqual({ verb: 'get', resource: 'nodes', subresource: 'stats', name: 'n1' });
    expect(await checkRequest('Bearer good', 'POST', '/exec/a/b/c', deps(onlyStats))).toEqual({
      ok: false,
      code: 403,
      reason: 'Forbidden',
      message: 'Forbidden (user=alice, verb=create, resource=nodes, subresource=proxy)',
    });
  });
  it('a user the authenticator cannot name, or an authorizer that fails, is refused', async () => {
    expect(await checkRequest('Bearer valid', 'GET', '/stats/summary', deps(async () => true))).toMatchObject({ ok: false, code: 403 });
    expect(await checkRequest('Bearer good', 'GET', '/stats/summary', deps(async () => Promise.reject(new Error('apiserver down'))))).toMatchObject({ ok: false, code: 403 });
  });
});
