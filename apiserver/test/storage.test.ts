/**
 * Storage semantics against a real etcd and apiserver: server-set metadata, generation,
 * generateName, optimistic concurrency (no lost updates), finalizers and namespaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, isNamespaceTerminating, RESOURCES, type ConfigMap, type Deployment, type KubeObject, type Namespace } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp?.stop();
});

const cms = () => cp.client.resource<ConfigMap>(RESOURCES.configmaps);
const deploys = () => cp.client.resource<Deployment>(RESOURCES.deployments);

function deployment(name: string, image = 'mk8s/busybox:1'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}

async function errorOf(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an API error');
}

describe('objects in etcd', () => {
  it('sets uid, creationTimestamp and resourceVersion, and reads back what was written', async () => {
    const created = await cms().create({ metadata: { name: 'cm-basic', namespace: 'default' }, data: { a: '1' } });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/Z$/);
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    const got = await cms().get('default', 'cm-basic');
    expect(got).toEqual(created);
  });

  it('bumps generation only when spec changes', async () => {
    const d = await deploys().create(deployment('gen'));
    expect(d.metadata.generation).toBe(1);
    const labelled = await deploys().patch('default', 'gen', { metadata: { labels: { extra: 'x' } } });
    expect(labelled.metadata.generation).toBe(1);
    const scaled = await deploys().patch('default', 'gen', { spec: { replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);
  });

  it('makes a name from generateName', async () => {
    const a = await cms().create({ metadata: { generateName: 'gen-', namespace: 'default' } });
    const b = await cms().create({ metadata: { generateName: 'gen-', namespace: 'default' } });
    expect(a.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(a.metadata.name).not.toBe(b.metadata.name);
  });

  it('refuses an update with a stale resourceVersion and keeps the newer write', async () => {
    const v1 = await cms().create({ metadata: { name: 'cm-stale', namespace: 'default' }, data: { v: '1' } });
    await cms().update({ ...v1, data: { v: '2' } });
    const err = await errorOf(cms().update({ ...v1, data: { v: 'stale' } }));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect((await cms().get('default', 'cm-stale')).data).toEqual({ v: '2' });
  });

  it('loses no update when 50 clients read-modify-write one object at once', async () => {
    await cms().create({ metadata: { name: 'counter', namespace: 'default' }, data: { n: '0' } });
    let conflicts = 0;
    const increment = async () => {
      for (;;) {
        const cur = await cms().get('default', 'counter');
        const n = Number(cur.data?.n ?? '0');
        try {
          await cms().update({ ...cur, data: { n: String(n + 1) } });
          return;
        } catch (err) {
          if (err instanceof ApiError && err.reason === 'Conflict') {
            conflicts++;
            continue;
          }
          throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, increment));
    expect((await cms().get('default', 'counter')).data?.n).toBe('50');
    expect(conflicts).toBeGreaterThan(0);
  });

  it('writes nothing on dryRun=All', async () => {
    const obj = await cms().create({ metadata: { name: 'dry', namespace: 'default' }, data: { a: 'b' } }, { dryRun: true });
    expect(obj.metadata.name).toBe('dry');
    expect((await errorOf(cms().get('default', 'dry'))).code).toBe(404);
  });

  it('keeps an object with finalizers until the last one is removed', async () => {
    await cms().create({ metadata: { name: 'fin', namespace: 'default', finalizers: ['example.com/hold'] } });
    await cms().delete('default', 'fin');
    const marked = await cms().get('default', 'fin');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    const err = await errorOf(cms().patch('default', 'fin', { metadata: { finalizers: ['example.com/hold', 'example.com/new'] } }));
    expect(err.code).toBe(422);
    await cms().patch('default', 'fin', { metadata: { finalizers: null } });
    expect((await errorOf(cms().get('default', 'fin'))).code).toBe(404);
  });

  it('marks a Foreground delete with the foregroundDeletion finalizer', async () => {
    await deploys().create(deployment('fg'));
    await deploys().delete('default', 'fg', { propagationPolicy: 'Foreground' });
    const d = await deploys().get('default', 'fg');
    expect(d.metadata.finalizers).toContain('foregroundDeletion');
    expect(d.metadata.deletionTimestamp).toBeDefined();
  });

  it('refuses writes into a missing namespace and into a terminating one', async () => {
    const missing = await errorOf(cms().create({ metadata: { name: 'x', namespace: 'nope' } }));
    expect(missing.code).toBe(404);
    const nsApi = cp.client.resource<Namespace>(RESOURCES.namespaces);
    await nsApi.create({ metadata: { name: 'doomed' } });
    await nsApi.delete(undefined, 'doomed');
    const ns = await nsApi.get(undefined, 'doomed');
    expect(ns.status?.phase).toBe('Terminating');
    const err = await errorOf(cms().create({ metadata: { name: 'x', namespace: 'doomed' } }));
    expect(err.code).toBe(403);
    expect(err.message).toContain('being terminated');
    expect(isNamespaceTerminating(err)).toBe(true);
  });

  it('has the system namespaces from the start', async () => {
    const names = (await cp.client.resource<Namespace>(RESOURCES.namespaces).list()).items.map((n) => n.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-node-lease', 'kube-public']));
  });

  it('pages a list with limit and continue', async () => {
    await Promise.all(Array.from({ length: 7 }, (_, i) => cms().create({ metadata: { name: `page-${i}`, namespace: 'default', labels: { page: 'yes' } } })));
    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const l = await cms().list('default', { labelSelector: 'page=yes', limit: 3, continue: cont });
      seen.push(...l.items.map((i) => i.metadata.name!));
      cont = l.metadata.continue;
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `page-${i}`));
  });

  it('deletes a collection by label', async () => {
    await Promise.all(['dc-1', 'dc-2'].map((name) => cms().create({ metadata: { name, namespace: 'default', labels: { dc: 'yes' } } })));
    await cp.client.request('DELETE', '/api/v1/namespaces/default/configmaps', { query: { labelSelector: 'dc=yes' } });
    await waitFor(async () => (await cms().list('default', { labelSelector: 'dc=yes' })).items.length === 0);
  });

  it('recovers a seed-era v1beta1 pod as a v1 pod', async () => {
    const body = {
      id: 'redis-master',
      kind: 'Pod',
      apiVersion: 'v1beta1',
      desiredState: { manifest: { version: 'v1beta1', id: 'redis-master', containers: [{ name: 'master', image: 'redis', ports: [{ containerPort: 6379, hostPort: 6379 }] }] } },
      labels: { name: 'redis-master' },
    };
    const pod = await cp.client.request<KubeObject & { spec: { containers: { image: string; ports: unknown[] }[] } }>('POST', '/api/v1beta1/namespaces/default/pods', { body });
    expect(pod.apiVersion).toBe('v1');
    expect(pod.metadata.name).toBe('redis-master');
    expect(pod.metadata.labels).toEqual({ name: 'redis-master' });
    expect(pod.spec.containers[0]?.image).toBe('redis');
    expect(pod.spec.containers[0]?.ports).toEqual([{ containerPort: 6379, hostPort: 6379, protocol: 'TCP' }]);
  });
});
