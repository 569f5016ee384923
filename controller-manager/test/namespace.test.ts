import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, RESOURCES, type ConfigMap, type Namespace, type Pod, type ReplicaSet, type Service } from '@mk8s/shared';
import { newReplicaSet, waitFor } from '@mk8s/shared/testing';
import { startClusterWithControllers, type ClusterWithControllers } from './cluster.js';

let c: ClusterWithControllers;
beforeAll(async () => {
  c = await startClusterWithControllers();
});
afterAll(async () => {
  await c?.stop();
});

const logs = () => c.cm.logs().slice(-5000);

describe('namespace controller (e2e)', () => {
  it('deleting a namespace removes its contents and then the namespace', async () => {
    const client = c.cp.client;
    const nsApi = client.resource<Namespace>(RESOURCES.namespaces);
    const pods = client.resource<Pod>(RESOURCES.pods);
    await nsApi.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await client.resource<ConfigMap>(RESOURCES.configmaps).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'doomed' }, data: { a: 'b' } });
    await client.resource<Service>(RESOURCES.services).create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', namespace: 'doomed' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    const rs = newReplicaSet('web', { namespace: 'doomed', replicas: 2 });
    delete rs.metadata.uid;
    delete rs.metadata.creationTimestamp;
    delete rs.status;
    await client.resource<ReplicaSet>(RESOURCES.replicasets).create(rs);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo', namespace: 'doomed' }, spec: { containers: [{ name: 'main', image: 'busybox' }] } });
    await waitFor(async () => (await pods.list('doomed')).items.length === 3, { message: () => `replicaset pods never appeared: ${logs()}` });
    await nsApi.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bystander' } });
    await client.resource<ConfigMap>(RESOURCES.configmaps).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'bystander' } });

    const marked = (await nsApi.delete(undefined, 'doomed')) as Namespace;
    expect(marked.status?.phase).toBe('Terminating');
    await waitFor(
      async () => {
        try {
          await nsApi.get(undefined, 'doomed');
          return false;
        } catch (err) {
          return isNotFound(err);
        }
      },
      { timeoutMs: 30_000, message: () => `namespace never went away: ${logs()}` },
    );
    expect((await pods.list('doomed')).items).toEqual([]);
    expect((await client.resource<ReplicaSet>(RESOURCES.replicasets).list('doomed')).items).toEqual([]);
    expect((await client.resource<ConfigMap>(RESOURCES.configmaps).list('doomed')).items).toEqual([]);
    expect((await client.resource<ConfigMap>(RESOURCES.configmaps).list('bystander')).items.map((x) => x.metadata.name)).toEqual(['cfg']);
  });
});
