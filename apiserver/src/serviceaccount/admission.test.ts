import { describe, it, expect } from 'vitest';
import type { Container, Pod, ServiceAccount } from '@mk8s/shared';
import { SERVICE_ACCOUNT_MOUNT_PATH } from '@mk8s/shared';
import { admitPod, apiAccessVolume, serviceAccountAdmission } from './admission.js';

const newPod = (spec: Partial<Pod['spec']> = {}, annotations?: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'team-a', ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'main', image: 'busybox' }], ...spec },
});
const newSA = (extra: Partial<ServiceAccount> = {}): ServiceAccount => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'team-a' }, ...extra });
const MOUNT = { name: 'kube-api-access-abcde', readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
const own = { name: 'own', mountPath: SERVICE_ACCOUNT_MOUNT_PATH };

describe('admitPod', () => {
  it.each<[string, Partial<Pod['spec']>, Partial<ServiceAccount>, { volumes: string[]; mounts: Container['volumeMounts'][]; sa: string }]>([
    ['defaults to the default account and mounts the token', {}, {}, { volumes: ['kube-api-access-abcde'], mounts: [[MOUNT]], sa: 'default' }],
    ['keeps a named account', { serviceAccountName: 'builder' }, {}, { volumes: ['kube-api-access-abcde'], mounts: [[MOUNT]], sa: 'builder' }],
    ['pod opts out', { automountServiceAccountToken: false }, {}, { volumes: [], mounts: [undefined], sa: 'default' }],
    ['account opts out', {}, { automountServiceAccountToken: false }, { volumes: [], mounts: [undefined], sa: 'default' }],
    ['pod opts in over the account', { automountServiceAccountToken: true }, { automountServiceAccountToken: false }, { volumes: ['kube-api-access-abcde'], mounts: [[MOUNT]], sa: 'default' }],
    [
      'init containers too',
      { initContainers: [{ name: 'init', image: 'busybox' }] },
      {},
      { volumes: ['kube-api-access-abcde'], mounts: [[MOUNT], [MOUNT]], sa: 'default' },
    ],
    [
      'a container with its own mount at the path is left alone',
      { volumes: [{ name: 'own', emptyDir: {} }], containers: [{ name: 'a', image: 'x', volumeMounts: [own] }, { name: 'b', image: 'x' }] },
      {},
      { volumes: ['own', 'kube-api-access-abcde'], mounts: [[own], [MOUNT]], sa: 'default' },
    ],
    [
      'every container mounting the path: no volume',
      { volumes: [{ name: 'own', emptyDir: {} }], containers: [{ name: 'a', image: 'x', volumeMounts: [own] }] },
      {},
      { volumes: ['own'], mounts: [[own]], sa: 'default' },
    ],
    [
      'an existing kube-api-access volume is reused',
      { volumes: [apiAccessVolume('kube-api-access-zzzzz')] },
      {},
      { volumes: ['kube-api-access-zzzzz'], mounts: [[{ ...MOUNT, name: 'kube-api-access-zzzzz' }]], sa: 'default' },
    ],
  ])('%s', (_name, spec, sa, want) => {
    const pod = newPod(spec);
    admitPod(pod, newSA(sa), 'abcde');
    expect(pod.spec.serviceAccountName).toBe(want.sa);
    expect(pod.spec.serviceAccount).toBe(want.sa);
    expect((pod.spec.volumes ?? []).map((v) => v.name)).toEqual(want.volumes);
    expect([...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.volumeMounts)).toEqual(want.mounts);
  });

  it('writes the volume Kubernetes writes', () => {
    const pod = newPod();
    admitPod(pod, newSA(), 'abcde');
    expect(pod.spec.volumes).toEqual([
      {
        name: 'kube-api-access-abcde',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ]);
  });

  it.each<[string, Partial<Pod['spec']>, unknown]>([
    ['copies the account pull secrets', {}, [{ name: 'reg' }]],
    ['keeps the pod pull secrets', { imagePullSecrets: [{ name: 'mine' }] } as Partial<Pod['spec']>, [{ name: 'mine' }]],
  ])('%s', (_name, spec, want) => {
    const pod = newPod(spec);
    admitPod(pod, newSA({ imagePullSecrets: [{ name: 'reg' }] }), 'abcde');
    expect((pod.spec as { imagePullSecrets?: unknown }).imagePullSecrets).toEqual(want);
  });
});

describe('serviceAccountAdmission', () => {
  const accounts = new Map([['team-a/default', newSA()]]);
  const hook = serviceAccountAdmission(async (ns, name) => accounts.get(`${ns}/${name}`), () => 'abcde');
  const ctx = { dryRun: false, user: 'admin' };

  it.each<[string, Pod, { code: number; message: string } | undefined]>([
    ['existing account', newPod(), undefined],
    ['missing account', newPod({ serviceAccountName: 'ghost' }), { code: 403, message: 'pods "web" is forbidden: error looking up service account team-a/ghost: serviceaccount "ghost" not found' }],
    ['mirror pod', newPod({}, { 'kubernetes.io/config.mirror': 'hash' }), undefined],
    ['mirror pod naming an account', newPod({ serviceAccountName: 'default' }, { 'kubernetes.io/config.mirror': 'hash' }), { code: 403, message: 'pods "web" is forbidden: a mirror pod may not reference service accounts' }],
  ])('%s', async (_name, pod, err) => {
    if (err) await expect(hook(pod, ctx)).rejects.toMatchObject({ ...err, reason: 'Forbidden' });
    else await expect(hook(pod, ctx)).resolves.toBeUndefined();
  });

  it('leaves mirror pods without a token volume', async () => {
    const pod = newPod({}, { 'kubernetes.io/config.mirror': 'hash' });
    await hook(pod, ctx);
    expect(pod.spec.volumes).toBeUndefined();
    expect(pod.spec.serviceAccountName).toBeUndefined();
  });
});
