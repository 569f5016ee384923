/**
 * End-to-end: the compiled controller-manager keeps ReplicationController and ReplicaSet pod
 * counts against a real apiserver and etcd (no kubelet: tests write pod status themselves).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES, type ReplicaSet, type ReplicationController } from '@mk8s/shared';
import { waitFor } from '@mk8s/shared/testing';
import { activePods, kubectl, podApi, setPodReady, setup, startControllerManager, teardown, waitForPodCount, type Env } from './helpers.js';

let env: Env | undefined;
afterEach(async () => {
  await teardown(env);
  env = undefined;
});

const rcApi = (e: Env) => e.client.resource<ReplicationController>(RESOURCES.replicationcontrollers);

function rc(name: string, replicas: number): ReplicationController {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { app: name }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'mk8s/busybox:1', command: ['sleep', '3600'] }] } } },
  };
}

async function scale(e: Env, name: string, replicas: number): Promise<void> {
  await rcApi(e).patch('default', name, { spec: { replicas } }, 'merge');
}

describe('replication controller (real apiserver)', () => {
  it('keeps 3 pods when one is deleted, scales to 5 and to 0, and reports status', async () => {
    env = await setup();
    const e = env;
    await rcApi(e).create(rc('web', 3));
    const pods = await waitForPodCount(e, { app: 'web' }, 3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ReplicationController', name: 'web', controller: true, blockOwnerDeletion: true })]);
    }
    await podApi(e.client).delete('default', pods[0]!.metadata.name!);
    const after = await waitForPodCount(e, { app: 'web' }, 3);
    expect(after.map((p) => p.metadata.name)).not.toContain(pods[0]!.metadata.name);

    for (const p of after) await setPodReady(e.client, p, true);
    const st = await waitFor(async () => {
      const s = (await rcApi(e).get('default', 'web')).status;
      return s?.readyReplicas === 3 && s.availableReplicas === 3 ? s : undefined;
    });
    expect(st).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });

    await scale(e, 'web', 5);
    await waitForPodCount(e, { app: 'web' }, 5);
    await scale(e, 'web', 0);
    await waitForPodCount(e, { app: 'web' }, 0);
    await waitFor(async () => (await rcApi(e).get('default', 'web')).status?.replicas === 0);
  });

  it('scales down the not-ready pods first', async () => {
    env = await setup();
    const e = env;
    await rcApi(e).create(rc('web', 4));
    const pods = await waitForPodCount(e, { app: 'web' }, 4);
    const readyOnes = pods.slice(0, 2);
    for (const p of readyOnes) await setPodReady(e.client, p, true);
    await waitFor(async () => (await rcApi(e).get('default', 'web')).status?.readyReplicas === 2);
    await scale(e, 'web', 2);
    const left = await waitForPodCount(e, { app: 'web' }, 2);
    expect(left.map((p) => p.metadata.name).sort()).toEqual(readyOnes.map((p) => p.metadata.name).sort());
  });

  it('works with stock kubectl scale rc', async () => {
    env = await setup();
    const e = env;
    await rcApi(e).create(rc('web', 1));
    await waitForPodCount(e, { app: 'web' }, 1);
    expect(await kubectl(e, ['scale', 'rc', 'web', '--replicas=4'])).toMatch(/scaled/);
    await waitForPodCount(e, { app: 'web' }, 4);
    expect(await kubectl(e, ['scale', 'replicationcontroller/web', '--replicas=2', '--current-replicas=4'])).toMatch(/scaled/);
    await waitForPodCount(e, { app: 'web' }, 2);
  });

  it('adopts matching orphans and releases relabelled pods', async () => {
    env = await setup();
    const e = env;
    const orphan = await podApi(e.client).create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'main', image: 'mk8s/busybox:1' }] },
    });
    await rcApi(e).create(rc('web', 2));
    const pods = await waitForPodCount(e, { app: 'web' }, 2);
    expect(pods.map((p) => p.metadata.name)).toContain('orphan');
    const adopted = await waitFor(async () => {
      const p = await podApi(e.client).get('default', 'orphan');
      return p.metadata.ownerReferences?.[0]?.controller ? p : undefined;
    });
    expect(adopted.metadata.uid).toBe(orphan.metadata.uid);
    await podApi(e.client).patch('default', 'orphan', { metadata: { labels: { app: 'elsewhere' } } }, 'merge');
    await waitFor(async () => (await podApi(e.client).get('default', 'orphan')).metadata.ownerReferences === undefined);
    await waitForPodCount(e, { app: 'web' }, 2);
  });

  it('a ReplicaSet works the same way', async () => {
    env = await setup();
    const e = env;
    const rsApi = e.client.resource<ReplicaSet>(RESOURCES.replicasets);
    await rsApi.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'front', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'front' } }, template: { metadata: { labels: { app: 'front' } }, spec: { containers: [{ name: 'main', image: 'mk8s/busybox:1' }] } } },
    });
    const pods = await waitForPodCount(e, { app: 'front' }, 3);
    expect(pods[0]!.metadata.ownerReferences?.[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'front' });
    await waitFor(async () => (await rsApi.get('default', 'front')).status?.replicas === 3);
  });

  it('kill -9 during a scale from 0 to 20 ends with exactly 20 pods after restart', async () => {
    env = await setup();
    const e = env;
    await rcApi(e).create(rc('burst', 0));
    await waitFor(async () => (await rcApi(e).get('default', 'burst')).status?.observedGeneration === 1, { message: () => e.cm.logs().slice(-3000) });
    await scale(e, 'burst', 20);
    await waitFor(async () => (await activePods(e.client, { app: 'burst' })).length > 0, { intervalMs: 20 });
    await e.cm.kill9();
    const during = (await activePods(e.client, { app: 'burst' })).length;
    expect(during).toBeLessThanOrEqual(20);
    const again = startControllerManager(e.cp);
    e.procs.push(again);
    e.cm = again;
    await waitForPodCount(e, { app: 'burst' }, 20);
    await waitFor(async () => (await rcApi(e).get('default', 'burst')).status?.replicas === 20, { message: () => again.logs().slice(-3000) });
    // settle: the controller has acted on a full cache; the count must stay exactly 20
    await new Promise((r) => setTimeout(r, 2000));
    expect(await activePods(e.client, { app: 'burst' })).toHaveLength(20);
  });
});
