import { describe, expect, it } from 'vitest';
import { ApiError, RESOURCES, type Pod, type TokenRequest } from '@mk8s/shared';
import { FakeClient, FakeClock } from '@mk8s/shared/testing';
import { TokenManager, apiTokenRequester, requiresRefresh, tokenRequestFor, type TokenRequester } from './token-manager.js';

const pod = (uid = 'u1', sa?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'ns', uid },
  spec: { containers: [{ name: 'c' }], ...(sa ? { serviceAccountName: sa } : {}) },
});

const iso = (ms: number): string => new Date(ms).toISOString();

/** A fake apiserver answer: token-<n> valid for the asked seconds from `clock`. */
function fakeServer(clock: FakeClock) {
  const calls: Array<{ ns: string; sa: string; body: TokenRequest }> = [];
  let fail: string | undefined;
  const request: TokenRequester = async (ns, sa, body) => {
    calls.push({ ns, sa, body });
    if (fail) throw new ApiError(403, 'Forbidden', fail);
    const secs = body.spec.expirationSeconds ?? 3600;
    return { ...body, status: { token: `token-${calls.length}`, expirationTimestamp: iso(clock.now() + secs * 1000) } };
  };
  return { calls, request, failWith: (m: string | undefined) => (fail = m) };
}

describe('tokenRequestFor', () => {
  it.each([
    { name: 'defaults', src: { path: 'token' }, audiences: [], exp: 3600 },
    { name: 'audience and expiration', src: { path: 't', audience: 'vault', expirationSeconds: 7200 }, audiences: ['vault'], exp: 7200 },
  ])('$name', ({ src, audiences, exp }) => {
    expect(tokenRequestFor(pod(), src)).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: {},
      spec: { audiences, expirationSeconds: exp, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'u1' } },
    });
  });
});

describe('requiresRefresh', () => {
  const H = 3600_000;
  it.each([
    { name: 'fresh', ttl: 3600, age: 0.5 * H, jitter: 0, want: false },
    { name: 'just under 80%', ttl: 3600, age: 0.79 * H, jitter: 0, want: false },
    { name: 'past 80%', ttl: 3600, age: 0.81 * H, jitter: 0, want: true },
    { name: 'jitter brings the refresh earlier', ttl: 3600, age: 0.8 * H - 5_000, jitter: 9, want: true },
    { name: 'long-lived token under 24h', ttl: 7 * 24 * 3600, age: 23 * H, jitter: 0, want: false },
    { name: 'long-lived token past 24h', ttl: 7 * 24 * 3600, age: 24 * H + 1, jitter: 0, want: true },
  ])('$name', ({ ttl, age, jitter, want }) => {
    const issued = Date.UTC(2024, 0, 1);
    expect(requiresRefresh({ token: 't', expiresAt: issued + ttl * 1000, ttlSeconds: ttl }, issued + age, jitter)).toBe(want);
  });
});

describe('TokenManager', () => {
  const setup = () => {
    const clock = new FakeClock();
    const server = fakeServer(clock);
    const tm = new TokenManager({ request: server.request, now: () => clock.now(), jitter: () => 0 });
    return { clock, server, tm };
  };

  it('asks the pod service account (default when unset) in the pod namespace', async () => {
    const { server, tm } = setup();
    await tm.token(pod('u1'), { path: 'token' });
    await tm.token(pod('u2', 'robot'), { path: 'token' });
    expect(server.calls.map((c) => `${c.ns}/${c.sa}`)).toEqual(['ns/default', 'ns/robot']);
  });

  it('caches until 80% of the lifetime, then refreshes', async () => {
    const { clock, server, tm } = setup();
    const src = { path: 'token', expirationSeconds: 1000 };
    expect(await tm.token(pod(), src)).toBe('token-1');
    await clock.advance(799_000);
    expect(await tm.token(pod(), src)).toBe('token-1');
    await clock.advance(2_000);
    expect(await tm.token(pod(), src)).toBe('token-2');
    expect(server.calls).toHaveLength(2);
  });

  it.each([
    { name: 'other audience', a: { path: 'a', audience: 'x' }, b: { path: 'b', audience: 'y' }, calls: 2 },
    { name: 'other expiration', a: { path: 'a', expirationSeconds: 600 }, b: { path: 'b', expirationSeconds: 700 }, calls: 2 },
    { name: 'same audience and expiration', a: { path: 'a' }, b: { path: 'b' }, calls: 1 },
  ])('one cache entry per pod and source: $name', async ({ a, b, calls }) => {
    const { server, tm } = setup();
    await tm.token(pod(), a);
    await tm.token(pod(), b);
    expect(server.calls).toHaveLength(calls);
  });

  it('concurrent calls for one source make one request', async () => {
    const { server, tm } = setup();
    const got = await Promise.all([tm.token(pod(), { path: 'a' }), tm.token(pod(), { path: 'b' }), tm.token(pod(), { path: 'a' })]);
    expect(got).toEqual(['token-1', 'token-1', 'token-1']);
    expect(server.calls).toHaveLength(1);
  });

  it('a failed request is a config error with the server message', async () => {
    const { server, tm } = setup();
    server.failWith('serviceaccounts "default" not found');
    await expect(tm.token(pod(), { path: 'token' })).rejects.toMatchObject({
      reason: 'CreateContainerConfigError',
      message: 'failed to fetch token: serviceaccounts "default" not found',
    });
  });

  it('a failed refresh keeps the unexpired token, then fails once it has expired', async () => {
    const { clock, server, tm } = setup();
    const src = { path: 'token', expirationSeconds: 1000 };
    await tm.token(pod(), src);
    server.failWith('apiserver down');
    await clock.advance(900_000);
    expect(await tm.token(pod(), src)).toBe('token-1');
    await clock.advance(200_000);
    await expect(tm.token(pod(), src)).rejects.toThrow('failed to fetch token: apiserver down');
  });

  it('forgets a pod and prunes gone pods and expired tokens', async () => {
    const { clock, tm } = setup();
    await tm.token(pod('u1'), { path: 't' });
    await tm.token(pod('u2'), { path: 't' });
    await tm.token(pod('u3'), { path: 't', expirationSeconds: 600 });
    tm.forgetPod('u1');
    expect(tm.size()).toBe(2);
    await clock.advance(601_000);
    tm.prune(new Set(['u1', 'u2', 'u3']));
    expect(tm.size()).toBe(1);
    tm.prune(new Set());
    expect(tm.size()).toBe(0);
  });
});

describe('apiTokenRequester', () => {
  it('posts to serviceaccounts/<name>/token', async () => {
    const client = new FakeClient();
    client.prependReactor('create', 'serviceaccounts', (a) => ({ ...(a.body as TokenRequest), status: { token: 'jwt', expirationTimestamp: iso(Date.now() + 3600_000) } }));
    const tm = new TokenManager({ request: apiTokenRequester(client) });
    expect(await tm.token(pod('u9', 'robot'), { path: 'token', audience: 'api' })).toBe('jwt');
    const [action] = client.actionsFor('create', RESOURCES.serviceaccounts.plural);
    expect(action).toMatchObject({ namespace: 'ns', name: 'robot', subresource: 'token', body: tokenRequestFor(pod('u9', 'robot'), { path: 'token', audience: 'api' }) });
  });
});
