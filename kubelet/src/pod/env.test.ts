import { describe, expect, it } from 'vitest';
import type { ConfigMap, Container, Pod, Secret } from '@mk8s/shared';
import { ContainerConfigError, expandVars, resolveEnv, serviceEnv, type EnvSources } from './env.js';

const sources: EnvSources = {
  configMap: async (_ns, name): Promise<ConfigMap | undefined> => (name === 'cm' ? { metadata: { name }, data: { k: 'v', other: 'o' } } : undefined),
  secret: async (_ns, name): Promise<Secret | undefined> => (name === 's' ? { metadata: { name }, data: { pw: Buffer.from('hunter2').toString('base64') } } : undefined),
};
const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { app: 'x' } }, spec: { containers: [], nodeName: 'n1' } };
const ctx = { nodeName: 'n1', podIp: '10.244.1.2', hostIp: '10.0.0.1' };

describe('expandVars', () => {
  const vars = new Map([['A', 'one']]);
  it.each([
    ['$(A)-x', 'one-x'],
    ['$(B)', '$(B)'],
    ['$$(A)', '$(A)'],
    ['no refs', 'no refs'],
  ])('%s -> %s', (s, want) => {
    expect(expandVars(s, vars)).toBe(want);
  });
});

describe('resolveEnv', () => {
  it.each<{ name: string; c: Partial<Container>; want: Array<[string, string]> }>([
    { name: 'plain values in order with expansion', c: { env: [{ name: 'A', value: '1' }, { name: 'B', value: '$(A)2' }] }, want: [['A', '1'], ['B', '12']] },
    {
      name: 'downward API',
      c: {
        env: [
          { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'L', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        ],
      },
      want: [['N', 'p'], ['IP', '10.244.1.2'], ['L', 'x'], ['NODE', 'n1']],
    },
    {
      name: 'configMap and secret keys, envFrom with prefix, env overriding envFrom',
      c: {
        envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'CM_' }],
        env: [
          { name: 'CM_k', value: 'override' },
          { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'pw' } } },
          { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k', optional: true } } },
        ],
      },
      want: [['CM_k', 'override'], ['CM_other', 'o'], ['S', 'hunter2']],
    },
  ])('$name', async ({ c, want }) => {
    expect(await resolveEnv(pod, { name: 'c', ...c }, ctx, sources)).toEqual(want);
  });

  it.each<{ name: string; c: Partial<Container>; message: string }>([
    { name: 'missing configMap', c: { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, message: 'configmap "nope" not found' },
    { name: 'missing key', c: { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'zz' } } }] }, message: "couldn't find key zz in ConfigMap ns/cm" },
    { name: 'missing secret', c: { envFrom: [{ secretRef: { name: 'nope' } }] }, message: 'secret "nope" not found' },
  ])('$name -> CreateContainerConfigError', async ({ c, message }) => {
    const err = await resolveEnv(pod, { name: 'c', ...c }, ctx, sources).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerConfigError);
    expect((err as ContainerConfigError).reason).toBe('CreateContainerConfigError');
    expect((err as Error).message).toBe(message);
  });
});

describe('service links', () => {
  const svc = { metadata: { name: 'redis-primary', namespace: 'ns' }, spec: { clusterIP: '10.96.0.11', ports: [{ name: 'db', port: 6379, protocol: 'TCP' as const }] } };
  it('builds docker-links style variables', () => {
    expect(serviceEnv(svc)).toEqual([
      ['REDIS_PRIMARY_SERVICE_HOST', '10.96.0.11'],
      ['REDIS_PRIMARY_SERVICE_PORT', '6379'],
      ['REDIS_PRIMARY_SERVICE_PORT_DB', '6379'],
      ['REDIS_PRIMARY_PORT', 'tcp://10.96.0.11:6379'],
      ['REDIS_PRIMARY_PORT_6379_TCP', 'tcp://10.96.0.11:6379'],
      ['REDIS_PRIMARY_PORT_6379_TCP_PROTO', 'tcp'],
      ['REDIS_PRIMARY_PORT_6379_TCP_PORT', '6379'],
      ['REDIS_PRIMARY_PORT_6379_TCP_ADDR', '10.96.0.11'],
    ]);
  });

  it.each([
    { name: 'headless', spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
    { name: 'no ports', spec: { clusterIP: '10.96.0.12' } },
  ])('skips $name services', ({ spec }) => {
    expect(serviceEnv({ metadata: { name: 'x' }, spec })).toEqual([]);
  });

  it.each([
    { name: 'links on', links: undefined, want: ['REDIS_PRIMARY_SERVICE_HOST', 'KUBERNETES_SERVICE_HOST'] },
    { name: 'links off keeps kubernetes', links: false, want: ['KUBERNETES_SERVICE_HOST'] },
  ])('$name', async ({ links, want }) => {
    const kube = { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] } };
    const src: EnvSources = { ...sources, services: async (ns) => (ns === 'default' ? [kube] : [svc]) };
    const p: Pod = { ...pod, spec: { ...pod.spec, ...(links === false ? { enableServiceLinks: false } : {}) } };
    const env = await resolveEnv(p, { name: 'c', env: [{ name: 'X', value: '$(KUBERNETES_SERVICE_HOST)' }] }, ctx, src);
    const hosts = env.filter(([k]) => k.endsWith('_SERVICE_HOST')).map(([k]) => k);
    expect(hosts.sort()).toEqual([...want].sort());
    expect(env.find(([k]) => k === 'X')?.[1]).toBe('10.96.0.1');
  });
});
