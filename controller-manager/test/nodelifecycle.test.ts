import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Node, type Pod } from '@mk8s/shared';
import { waitFor } from '@mk8s/shared/testing';
import { startClusterWithControllers, type ClusterWithControllers } from './cluster.js';

let c: ClusterWithControllers;
beforeAll(async () => {
  c = await startClusterWithControllers([], ['--default-toleration-seconds', '3']);
});
afterAll(async () => {
  beating = false;
  await beats;
  await c?.stop();
});

const nodes = () => c.cp.client.resource<Node>(RESOURCES.nodes);
const pods = () => c.cp.client.resource<Pod>(RESOURCES.pods);
const logs = () => c.cm.logs().slice(-5000);
const ready = (n: Node) => n.status?.conditions?.find((x) => x.type === 'Ready')?.status;
const taints = (n: Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);

/** Plays the kubelet's node status loop: Ready=True with a fresh heartbeat every 500 ms. */
let beating = false;
let beats: Promise<void> = Promise.resolve();
function startHeartbeats(): void {
  beating = true;
  beats = (async () => {
    while (beating) {
      try {
        const n = await nodes().get(undefined, 'worker');
        const now = new Date().toISOString();
        n.status = { ...n.status, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] };
        await nodes().updateStatus(n);
      } catch {
        // conflict with the controller: try again on the next beat
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
}
async function stopHeartbeats(): Promise<void> {
  beating = false;
  await beats;
}

async function podOnNode(name: string, tolerateForever = false): Promise<Pod> {
  return pods().create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: 'worker',
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: 'busybox' }],
      ...(tolerateForever ? { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute' as const }] } : {}),
    },
  });
}

describe('node lifecycle controller (e2e)', () => {
  it('a silent node goes Unknown and tainted, its pods are evicted after the toleration, and the taint goes when heartbeats resume', async () => {
    await nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker' }, spec: {} });
    startHeartbeats();
    const evicted = await podOnNode('evicted');
    expect(evicted.spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3 });
    await podOnNode('stays', true);
    await waitFor(async () => ready(await nodes().get(undefined, 'worker')) === 'True');
    // node IPAM hands out the first block of the default cluster CIDR
    const withCidr = await waitFor(async () => {
      const n = await nodes().get(undefined, 'worker');
      return n.spec?.podCIDR ? n : undefined;
    }, { message: () => `node never got a pod CIDR: ${logs()}` });
    expect(withCidr.spec).toMatchObject({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });

    await stopHeartbeats();
    const node = await waitFor(
      async () => {
        const n = await nodes().get(undefined, 'worker');
        return ready(n) === 'Unknown' && taints(n).includes('node.kubernetes.io/unreachable:NoExecute') ? n : undefined;
      },
      { timeoutMs: 20_000, message: () => `node never went Unknown with the unreachable taint: ${logs()}` },
    );
    expect(node.status?.conditions?.find((x) => x.type === 'Ready')?.message).toBe('Kubelet stopped posting node status.');
    await waitFor(async () => (await pods().list('default')).items.every((p) => p.metadata.name !== 'evicted'), {
      timeoutMs: 20_000,
      message: () => `pod was never evicted: ${logs()}`,
    });
    const stays = await pods().get('default', 'stays');
    expect(stays.metadata.deletionTimestamp).toBeUndefined();

    startHeartbeats();
    await waitFor(
      async () => {
        const n = await nodes().get(undefined, 'worker');
        return ready(n) === 'True' && taints(n).length === 0;
      },
      { timeoutMs: 20_000, message: () => `taint never removed: ${logs()}` },
    );
  });

  it('force-deletes a pod bound to a node that does not exist', async () => {
    await pods().create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'orphan', namespace: 'default' },
      spec: { nodeName: 'no-such-node', containers: [{ name: 'main', image: 'busybox' }] },
    });
    await waitFor(async () => (await pods().list('default')).items.every((p) => p.metadata.name !== 'orphan'), {
      timeoutMs: 20_000,
      message: () => `orphaned pod never removed: ${logs()}`,
    });
  });
});
