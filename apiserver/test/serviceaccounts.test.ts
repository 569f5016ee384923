/**
 * Service accounts end to end against a real etcd and the stock kubectl: the serviceaccounts
 * resource, TokenRequest (`kubectl create token`), service account bearer tokens (kubectl
 * --token, `kubectl auth whoami`, TokenReview), invalidation when the account or the bound
 * pod goes away, and the ServiceAccount admission on pod create. A second control plane
 * without the service account flags shows pods are then admitted unchanged.
 */
import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient, type Pod, type ServiceAccount, type TokenRequest } from '@mk8s/shared';
import { runKubectl, startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane({ serviceAccounts: true });
  await cp.client.request('POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
  // the harness runs RBAC: let every service account read in default, so a token's validity shows as 200 vs 401
  await cp.client.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
    body: {
      metadata: { name: 'service-accounts-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts' }],
    },
  });
});
afterAll(async () => {
  await cp?.stop();
});

const kubectl = (args: string[], version = '1.33') => runKubectl(cp.kubeconfigFor('admin'), args, version);
const asToken = (token: string, args: string[], version = '1.33') => runKubectl(cp.kubeconfigFor('admin'), ['--token', token, ...args], version);

async function status(token: string, path = '/api/v1/namespaces/default/pods'): Promise<number> {
  const c = new RestClient({ server: cp.url, ca: cp.caPem, token });
  try {
    await c.request('GET', path);
    return 200;
  } catch (err) {
    return (err as { code?: number }).code ?? 0;
  } finally {
    c.close();
  }
}

async function createToken(sa: string, spec: TokenRequest['spec'] = {}): Promise<TokenRequest> {
  return cp.client.request<TokenRequest>('POST', `/api/v1/namespaces/default/serviceaccounts/${sa}/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec },
  });
}

const newPod = (name: string, spec: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'main', image: 'mk8s/busybox:1' }], ...spec },
});
const createPod = (pod: Pod, ns = 'default') => cp.client.request<Pod>('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod });

describe('serviceaccounts with kubectl', () => {
  it('creates, lists, gets and deletes a service account', async () => {
    expect((await kubectl(['create', 'serviceaccount', 'builder'])).code).toBe(0);
    const list = await kubectl(['get', 'sa']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+SECRETS\s+AGE$/);
    expect(list.stdout).toMatch(/\nbuilder\s+0\s+\d+s/);
    const one = JSON.parse((await kubectl(['get', 'serviceaccount', 'builder', '-o', 'json'])).stdout) as ServiceAccount;
    expect(one.metadata.uid).toBeTruthy();
    expect((await kubectl(['delete', 'sa', 'builder'])).code).toBe(0);
    expect((await kubectl(['get', 'sa', 'builder'])).stderr).toContain('serviceaccounts "builder" not found');
  });

  it('applies a manifest and explains the kind', async () => {
    const path = join(cp.dir, 'sa.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: applied\nautomountServiceAccountToken: false\nimagePullSecrets:\n- name: reg\n');
    const r = await kubectl(['apply', '-f', path]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('serviceaccount/applied created');
    const explain = await kubectl(['explain', 'serviceaccount.automountServiceAccountToken']);
    expect(explain.stdout).toContain('AutomountServiceAccountToken indicates whether pods');
  });

  it('refuses a name that is not a DNS subdomain', async () => {
    const r = await kubectl(['create', 'serviceaccount', 'Bad_Name']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('metadata.name: Invalid value: "Bad_Name"');
  });
});

describe('TokenRequest', () => {
  beforeAll(async () => {
    expect((await kubectl(['create', 'serviceaccount', 'robot'])).code).toBe(0);
  });

  it.each(['1.27', '1.29', '1.32', '1.33'])('kubectl %s creates a token that authenticates as the service account', async (v) => {
    const r = await kubectl(['create', 'token', 'robot', '--duration', '20m'], v);
    expect(r.stderr).toBe('');
    const token = r.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const get = await asToken(token, ['get', 'pods'], v);
    expect(get.stderr).toMatch(/^(No resources found in default namespace\.\n)?$/);
    expect(get.code).toBe(0);
  });

  it.each(['1.28', '1.33'])('kubectl %s auth whoami shows the service account user', async (v) => {
    const token = (await kubectl(['create', 'token', 'robot'], v)).stdout.trim();
    const sa = JSON.parse((await kubectl(['get', 'sa', 'robot', '-o', 'json'])).stdout) as ServiceAccount;
    const r = await asToken(token, ['auth', 'whoami', '-o', 'json'], v);
    expect(r.stderr).toBe('');
    const review = JSON.parse(r.stdout) as { status: { userInfo: { username: string; uid: string; groups: string[] } } };
    expect(review.status.userInfo).toMatchObject({
      username: 'system:serviceaccount:default:robot',
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
  });

  it('returns the TokenRequest with the token, its claims and expiration', async () => {
    const before = Math.floor(Date.now() / 1000);
    const tr = await createToken('robot', { expirationSeconds: 1200, audiences: ['https://kubernetes.default.svc.cluster.local', 'vault'] });
    expect(tr).toMatchObject({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { expirationSeconds: 1200 } });
    const [header, payload] = tr.status!.token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'RS256' });
    expect(header!.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sa = JSON.parse((await kubectl(['get', 'sa', 'robot', '-o', 'json'])).stdout) as ServiceAccount;
    expect(payload).toMatchObject({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:default:robot',
      aud: ['https://kubernetes.default.svc.cluster.local', 'vault'],
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid } },
    });
    const exp = payload!.exp as number;
    expect(exp - (payload!.iat as number)).toBe(1200);
    expect(payload!.iat).toBeGreaterThanOrEqual(before);
    expect(Date.parse(tr.status!.expirationTimestamp)).toBe(exp * 1000);
  });

  it.each<[string, string, TokenRequest['spec'], number, string]>([
    ['too short', 'robot', { expirationSeconds: 599 }, 422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes'],
    ['missing account', 'ghost', {}, 404, 'serviceaccounts "ghost" not found'],
    ['unsupported bound kind', 'robot', { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } }, 400, 'cannot bind token to object of type /v1, Kind=ConfigMap'],
    ['missing bound pod', 'robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' } }, 404, 'pods "nope" not found'],
  ])('refuses %s', async (_name, sa, spec, code, message) => {
    await expect(createToken(sa, spec)).rejects.toMatchObject({ code, message });
  });

  it('binds to a pod of the same account only, and checks its uid', async () => {
    const pod = await createPod(newPod('bound-check', { serviceAccountName: 'robot' }));
    await expect(createToken('default', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bound-check' } })).rejects.toMatchObject({
      code: 400,
      message: 'cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.',
    });
    await expect(createToken('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bound-check', uid: 'not-the-uid' } })).rejects.toMatchObject({ code: 409 });
    const tr = await createToken('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bound-check', uid: pod.metadata.uid } });
    const claims = JSON.parse(Buffer.from(tr.status!.token.split('.')[1]!, 'base64url').toString()) as { 'kubernetes.io': { pod: unknown } };
    expect(claims['kubernetes.io'].pod).toEqual({ name: 'bound-check', uid: pod.metadata.uid });
  });
});

describe('service account token authentication', () => {
  beforeAll(async () => {
    expect((await kubectl(['create', 'serviceaccount', 'ephemeral'])).code).toBe(0);
    expect((await kubectl(['create', 'serviceaccount', 'podsa'])).code).toBe(0);
  });

  it('a bearer token from kubectl create token --bound-object-kind Pod dies with the pod', async () => {
    await createPod(newPod('holder', { serviceAccountName: 'podsa' }));
    const r = await kubectl(['create', 'token', 'podsa', '--bound-object-kind', 'Pod', '--bound-object-name', 'holder']);
    expect(r.stderr).toBe('');
    const token = r.stdout.trim();
    expect(await status(token)).toBe(200);
    expect((await kubectl(['delete', 'pod', 'holder', '--grace-period=0', '--force'])).code).toBe(0);
    await waitFor(async () => (await status(token)) === 401, { timeoutMs: 10_000, message: 'token bound to a deleted pod still accepted' });
  });

  it('a deleted and recreated service account invalidates old tokens', async () => {
    const old = (await createToken('ephemeral')).status!.token;
    expect(await status(old)).toBe(200);
    expect((await kubectl(['delete', 'sa', 'ephemeral'])).code).toBe(0);
    expect((await kubectl(['create', 'sa', 'ephemeral'])).code).toBe(0);
    const fresh = (await createToken('ephemeral')).status!.token;
    expect(await status(fresh)).toBe(200);
    await waitFor(async () => (await status(old)) === 401, { timeoutMs: 10_000, message: 'token of a deleted service account still accepted' });
  });

  it('TokenReview reports the service account user and audiences', async () => {
    const token = (await createToken('ephemeral')).status!.token;
    const review = await cp.client.request<{ status: Record<string, unknown> }>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    });
    expect(review.status).toMatchObject({
      authenticated: true,
      user: { username: 'system:serviceaccount:default:ephemeral', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] },
      audiences: ['https://kubernetes.default.svc.cluster.local'],
    });
    const other = await cp.client.request<{ status: Record<string, unknown> }>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: ['vault'] } },
    });
    expect(other.status).toMatchObject({ authenticated: false });
  });

  describe('refuses', () => {
    const saKey = () => createPrivateKey(readFileSync(join(cp.dir, 'pki', 'sa.key')));
    async function forge(mutate: (claims: Record<string, unknown>) => void, key = saKey()): Promise<string> {
      const sa = JSON.parse((await kubectl(['get', 'sa', 'ephemeral', '-o', 'json'])).stdout) as ServiceAccount;
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        aud: ['https://kubernetes.default.svc.cluster.local'],
        exp: now + 3600,
        iat: now,
        nbf: now,
        iss: 'https://kubernetes.default.svc.cluster.local',
        jti: randomUUID(),
        sub: 'system:serviceaccount:default:ephemeral',
        'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'ephemeral', uid: sa.metadata.uid } },
      };
      mutate(claims);
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(key);
    }

    it('accepts a well-formed token signed with the key (control case)', async () => {
      expect(await status(await forge(() => {}))).toBe(200);
    });

    it.each<[string, (c: Record<string, unknown>) => void]>([
      ['a wrong issuer', (c) => (c.iss = 'https://evil.example')],
      ['a wrong audience', (c) => (c.aud = ['vault'])],
      ['an expired token', (c) => ((c.exp = (c.iat as number) - 120), (c.iat = (c.iat as number) - 3600), (c.nbf = c.iat))],
      ['a token not valid yet', (c) => (c.nbf = (c.iat as number) + 600)],
      ['a wrong service account uid', (c) => ((c['kubernetes.io'] as { serviceaccount: { uid: string } }).serviceaccount.uid = 'other')],
      ['a subject that disagrees with the claims', (c) => (c.sub = 'system:serviceaccount:default:robot')],
    ])('%s', async (_name, mutate) => {
      expect(await status(await forge(mutate))).toBe(401);
    });

    it('a token signed by another key', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      expect(await status(await forge(() => {}, privateKey))).toBe(401);
    });

    it.each(['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'])('garbage %s', async (token) => {
      expect(await status(token)).toBe(401);
    });
  });
});

describe('ServiceAccount admission', () => {
  it('defaults the account and mounts a kube-api-access volume in every container', async () => {
    const pod = await createPod(newPod('admitted', { initContainers: [{ name: 'init', image: 'mk8s/busybox:1' }] }));
    expect(pod.spec.serviceAccountName).toBe('default');
    expect(pod.spec.serviceAccount).toBe('default');
    const volume = pod.spec.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    expect(volume?.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume?.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
      expect(c.volumeMounts).toEqual([{ name: volume!.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    }
  });

  it('refuses a pod whose service account does not exist', async () => {
    const r = await kubectl(['run', 'orphan', '--image', 'mk8s/busybox:1', '--overrides', '{"spec":{"serviceAccountName":"ghost"}}']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pods "orphan" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
  });

  it.each<[string, Partial<Pod['spec']>, boolean | undefined]>([
    ['the pod opts out', { automountServiceAccountToken: false, serviceAccountName: 'optout' }, undefined],
    ['the account opts out', { serviceAccountName: 'optout' }, false],
    ['a container already mounts the path', { volumes: [{ name: 'own', emptyDir: {} }], containers: [{ name: 'main', image: 'mk8s/busybox:1', volumeMounts: [{ name: 'own', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }] }, undefined],
  ])('adds no token volume when %s', async (name, spec, saAutomount) => {
    const saName = spec.serviceAccountName ?? 'default';
    if (saName !== 'default') {
      await cp.client
        .request('DELETE', `/api/v1/namespaces/default/serviceaccounts/${saName}`)
        .catch(() => undefined);
      await cp.client.request('POST', '/api/v1/namespaces/default/serviceaccounts', {
        body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: saName }, ...(saAutomount === undefined ? {} : { automountServiceAccountToken: saAutomount }) },
      });
    }
    const pod = await createPod(newPod(`noauto-${name.replace(/\W+/g, '-')}`.slice(0, 50), spec));
    expect(pod.spec.serviceAccountName).toBe(saName);
    expect(pod.spec.volumes?.some((v) => v.name.startsWith('kube-api-access-')) ?? false).toBe(false);
  });

  it('accepts a user-written projected token volume and checks its shape', async () => {
    const volumes = [{ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'vault' } }] } }];
    const pod = await createPod(newPod('own-projected', { volumes, automountServiceAccountToken: false }));
    expect(pod.spec.volumes?.[0]?.projected).toEqual({ defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 3600 } }] });
    const bad = [{ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 60 } }] } }];
    await expect(createPod(newPod('bad-projected', { volumes: bad, automountServiceAccountToken: false }))).rejects.toMatchObject({
      code: 422,
      message: 'Pod "bad-projected" is invalid: spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    });
  });
});

describe('without service account flags', () => {
  let plain: TestControlPlane;
  beforeAll(async () => {
    plain = await startControlPlane();
  });
  afterAll(async () => {
    await plain?.stop();
  });

  it('admits pods unchanged and serves no tokens', async () => {
    const pod = await plain.client.request<Pod>('POST', '/api/v1/namespaces/default/pods', { body: newPod('plain') });
    expect(pod.spec.serviceAccountName).toBeUndefined();
    expect(pod.spec.volumes).toBeUndefined();
    expect(pod.spec.containers[0]!.volumeMounts).toBeUndefined();
    await plain.client.request('POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
    await expect(
      plain.client.request('POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } }),
    ).rejects.toMatchObject({ code: 404 });
  });
});
