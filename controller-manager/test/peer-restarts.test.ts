/**
 * A whole cluster rides out restarts of what it depends on: the apiserver restarts, then etcd
 * restarts under it. Running pods keep their containers (no restarts), and afterwards every
 * component has resumed its watches: the controller-manager scales and replaces pods, the
 * scheduler places them, the kubelet starts them and reports them Running.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Pod, type ReplicationController } from '@mk8s/shared';
import { startCluster, waitFor, type TestCluster } from '@mk8s/shared/testing';

let c: TestCluster;
beforeAll(async () => {
  c = await startCluster({ id: 170, nodes: 1 });
});
afterAll(async () => {
  await c?.stop();
});

const pods = () => c.cp.client.resource<Pod>(RESOURCES.pods);
const rcs = () => c.cp.client.resource<ReplicationController>(RESOURCES.replicationcontrollers);
const running = async () =>
  (await pods().list('default', { labelSelector: 'app=survivor' })).items.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const containerIds = (): string[] =>
  execFileSync('docker', ['ps', '-q', '--no-trunc', '--filter', `label=mk8s.node=${c.nodes[0]!.name}`], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();

/** Scales the RC, retrying while the API is still coming back. */
async function scale(replicas: number): Promise<void> {
  await waitFor(async () => {
    try {
      await rcs().patch('default', 'survivor', { spec: { replicas } });
      return true;
    } catch {
      return false;
    }
  }, { timeoutMs: 30_000, message: 'the API did not come back' });
  await waitFor(async () => {
    try {
      return (await running()).length === replicas && (await pods().list('default', { labelSelector: 'app=survivor' })).items.length === replicas;
    } catch {
      return false;
    }
  }, { timeoutMs: 90_000, message: () => `never reached ${replicas} running` });
}

describe('peer restarts', () => {
  it('pods keep running through an apiserver restart and an etcd restart, and the cluster keeps working after each', async () => {
    await rcs().create({
      metadata: { name: 'survivor', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { app: 'survivor' },
        template: {
          metadata: { labels: { app: 'survivor' } },
          spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'mk8s/busybox:1', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
        },
      },
    });
    await waitFor(async () => (await running()).length === 2, { timeoutMs: 60_000, message: 'never had 2 running' });
    const before = containerIds();
    expect(before).toHaveLength(4); // two pause + two app containers

    await c.cp.restartApiserver();
    expect(containerIds()).toEqual(before);
    await scale(3);

    const three = containerIds();
    await c.cp.etcd.restart();
    expect(containerIds()).toEqual(three);
    await scale(1);

    // a deleted pod is replaced: the controller-manager's and scheduler's watches are live
    const [only] = await running();
    await pods().delete('default', only!.metadata.name!);
    await waitFor(async () => {
      const r = await running();
      return r.length === 1 && r[0]!.metadata.name !== only!.metadata.name;
    }, { timeoutMs: 90_000, message: 'the deleted pod was not replaced' });
    const restarts = (await running()).flatMap((p) => p.status?.containerStatuses ?? []).map((s) => s.restartCount);
    expect(restarts).toEqual([0]);
  });
});
