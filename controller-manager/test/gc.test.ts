import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Deployment, type Pod, type ReplicaSet } from '@mk8s/shared';
import { newDeployment, newReplicaSet, waitFor } from '@mk8s/shared/testing';
import { startClusterWithControllers, type ClusterWithControllers } from './cluster.js';

let c: ClusterWithControllers;
beforeAll(async () => {
  c = await startClusterWithControllers();
});
afterAll(async () => {
  await c?.stop();
});

const rsApi = () => c.cp.client.resource<ReplicaSet>(RESOURCES.replicasets);
const podApi = () => c.cp.client.resource<Pod>(RESOURCES.pods);
const podsOf = async (app: string) => (await podApi().list('default', { labelSelector: `app=${app}` })).items;
const logs = () => c.cm.logs().slice(-5000);

async function replicaSetWithPods(name: string): Promise<ReplicaSet> {
  const rs = newReplicaSet(name, { replicas: 2 });
  delete rs.metadata.uid;
  delete rs.metadata.creationTimestamp;
  delete rs.status;
  const created = await rsApi().create(rs);
  await waitFor(async () => (await podsOf(name)).filter((p) => p.metadata.ownerReferences?.[0]?.uid === created.metadata.uid).length === 2, {
    message: () => `replicaset ${name} did not get 2 pods: ${logs()}`,
  });
  return created;
}

describe('garbage collector (e2e)', () => {
  it('background deletion removes the owned pods', async () => {
    await replicaSetWithPods('bg');
    await rsApi().delete('default', 'bg', { propagationPolicy: 'Background' });
    await waitFor(async () => (await podsOf('bg')).length === 0, { message: () => `pods of bg remain: ${logs()}` });
    expect((await rsApi().list('default')).items.map((r) => r.metadata.name)).not.toContain('bg');
  });

  it('foreground deletion removes the pods, then the replicaset', async () => {
    await replicaSetWithPods('fg');
    const marked = (await rsApi().delete('default', 'fg', { propagationPolicy: 'Foreground' })) as ReplicaSet;
    expect(marked.metadata.finalizers).toContain('foregroundDeletion');
    await waitFor(async () => (await rsApi().list('default')).items.every((r) => r.metadata.name !== 'fg'), { message: () => `replicaset fg remains: ${logs()}` });
    expect(await podsOf('fg')).toEqual([]);
  });

  it('orphan deletion keeps the pods without owner references', async () => {
    await replicaSetWithPods('orph');
    await rsApi().delete('default', 'orph', { propagationPolicy: 'Orphan' });
    await waitFor(async () => (await rsApi().list('default')).items.every((r) => r.metadata.name !== 'orph'), { message: () => `replicaset orph remains: ${logs()}` });
    const pods = await podsOf('orph');
    expect(pods).toHaveLength(2);
    expect(pods.map((p) => p.metadata.ownerReferences ?? [])).toEqual([[], []]);
  });

  it.each(['Background', 'Foreground'] as const)('%s deletion of a deployment removes its replicasets and pods', async (policy) => {
    const name = `deploy-${policy.toLowerCase()}`;
    const d = newDeployment(name, { replicas: 2 });
    delete d.metadata.uid;
    delete d.metadata.creationTimestamp;
    const depApi = c.cp.client.resource<Deployment>(RESOURCES.deployments);
    await depApi.create(d);
    await waitFor(async () => (await podsOf(name)).length === 2, { message: () => `deployment ${name} never got 2 pods: ${logs()}` });
    expect((await rsApi().list('default', { labelSelector: `app=${name}` })).items).toHaveLength(1);
    await depApi.delete('default', name, { propagationPolicy: policy });
    await waitFor(async () => (await podsOf(name)).length === 0 && (await rsApi().list('default', { labelSelector: `app=${name}` })).items.length === 0, {
      message: () => `replicasets or pods of ${name} remain: ${logs()}`,
    });
    await waitFor(async () => (await depApi.list('default')).items.every((x) => x.metadata.name !== name), { message: () => `deployment ${name} remains: ${logs()}` });
  });
});
