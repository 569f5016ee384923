import { describe, expect, it } from 'vitest';
import { EventRecorder, RESOURCES, silentLogger, type Event, type KubeObject, type Lease, type Node, type Pod, type ResourceType } from '@mk8s/shared';
import { FakeClient, FakeClock, newNode, newPod } from '@mk8s/shared/testing';
import { NodeLifecycleController } from './controller.js';

const lister = <T extends KubeObject>(client: FakeClient, type: ResourceType) => ({
  get: (ns: string | undefined, name: string) => client.stored<T>(type, ns, name),
  list: (ns?: string) => client.all<T>(type).filter((o) => ns === undefined || o.metadata.namespace === ns),
});

function setup() {
  const clock = new FakeClock(Date.UTC(2024, 0, 1));
  const client = new FakeClient({ clock });
  const node = newNode('n1');
  node.status!.conditions![0]!.lastHeartbeatTime = new Date(clock.now()).toISOString();
  client.seed(RESOURCES.nodes, [node]);
  const tolerating = newPod('tolerant', { nodeName: 'n1', phase: 'Running', ready: true });
  tolerating.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3 }];
  tolerating.spec.terminationGracePeriodSeconds = 2;
  const forever = newPod('forever', { nodeName: 'n1', phase: 'Running', ready: true });
  forever.spec.tolerations = [{ operator: 'Exists' }];
  const intolerant = newPod('intolerant', { nodeName: 'n1', phase: 'Running', ready: true });
  client.seed(RESOURCES.pods, [tolerating, forever, intolerant]);
  const recorder = new EventRecorder({ client, component: 'controller-manager', clock });
  const c = new NodeLifecycleController({
    nodes: lister<Node>(client, RESOURCES.nodes),
    leases: lister<Lease>(client, RESOURCES.leases),
    pods: lister<Pod>(client, RESOURCES.pods),
    nodeApi: client.resource<Node>(RESOURCES.nodes),
    podApi: client.resource<Pod>(RESOURCES.pods),
    recorder,
    logger: silentLogger(),
    gracePeriodMs: 3_000,
    clock,
  });
  const node$ = () => client.stored<Node>(RESOURCES.nodes, undefined, 'n1')!;
  const pod$ = (name: string) => client.stored<Pod>(RESOURCES.pods, 'default', name);
  const step = async (ms: number) => {
    await clock.advance(ms);
    await c.monitor();
    await recorder.flush();
  };
  const heartbeat = async () => {
    const n = node$();
    n.status!.conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date(clock.now()).toISOString() }];
    await client.resource<Node>(RESOURCES.nodes).updateStatus(n);
  };
  return { client, clock, c, node$, pod$, step, heartbeat };
}

const readyOf = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');
const taintKeys = (n: Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);

describe('NodeLifecycleController', () => {
  it('silent node: Unknown, unreachable taint, pods not ready, evictions on their tolerations', async () => {
    const h = setup();
    await h.step(1_000);
    expect(readyOf(h.node$())?.status).toBe('True');
    expect(taintKeys(h.node$())).toEqual([]);

    await h.step(3_500); // 4.5 s without a heartbeat > 3 s grace (counted from first sight at 1 s)
    expect(readyOf(h.node$())).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(taintKeys(h.node$())).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(h.client.all<Event>(RESOURCES.events).map((e) => e.reason)).toContain('NodeNotReady');
    // the taint was added in this pass; the untolerating pod goes on the next one
    await h.step(1_000);
    expect(h.pod$('intolerant')?.metadata.deletionTimestamp).toBeDefined();
    expect(h.pod$('tolerant')?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(h.pod$('tolerant')?.metadata.deletionTimestamp).toBeUndefined();

    await h.step(2_500); // taint added at 4.5 s, tolerated 3 s
    expect(h.pod$('tolerant')?.metadata.deletionTimestamp).toBeDefined();
    expect(h.pod$('forever')?.metadata.deletionTimestamp).toBeUndefined();
    expect(h.client.all<Event>(RESOURCES.events).filter((e) => e.reason === 'TaintManagerEviction').map((e) => e.involvedObject.name).sort()).toEqual(['intolerant', 'tolerant']);

    await h.step(2_500); // grace period of 2 s over, node still unreachable: force delete
    expect(h.pod$('tolerant')).toBeUndefined();
    expect(h.pod$('forever')).toBeDefined();
  });

  it('a node that comes back loses the taint, which cancels pending evictions', async () => {
    const h = setup();
    await h.step(0);
    await h.step(4_000);
    expect(taintKeys(h.node$())).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    await h.step(1_000);
    await h.heartbeat();
    await h.step(1_000);
    expect(taintKeys(h.node$())).toEqual([]);
    await h.step(10_000);
    await h.heartbeat();
    await h.step(1_000);
    expect(h.pod$('tolerant')?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('a kubelet reporting NotReady gets the not-ready taint', async () => {
    const h = setup();
    const n = h.node$();
    n.status!.conditions = [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', lastHeartbeatTime: new Date(h.clock.now()).toISOString() }];
    await h.client.resource<Node>(RESOURCES.nodes).updateStatus(n);
    await h.step(500);
    expect(taintKeys(h.node$())).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    expect(readyOf(h.node$())?.status).toBe('False');
  });

  it('a lease renewal counts as a heartbeat', async () => {
    const h = setup();
    const renew = async () =>
      h.client.seed(RESOURCES.leases, [{ metadata: { name: 'n1', namespace: 'kube-node-lease', uid: `l${h.clock.now()}` }, spec: { renewTime: new Date(h.clock.now()).toISOString() } } as Lease]);
    await h.step(2_000);
    await renew();
    await h.step(2_500);
    expect(readyOf(h.node$())?.status).toBe('True');
  });

  it('force-deletes pods bound to a node that stays deleted for the grace period', async () => {
    const h = setup();
    h.client.seed(RESOURCES.pods, [newPod('ghostly', { nodeName: 'ghost', phase: 'Running' })]);
    await h.step(1_000);
    expect(h.pod$('ghostly')).toBeDefined();
    await h.step(2_000);
    expect(h.pod$('ghostly')).toBeDefined();
    await h.step(1_500);
    expect(h.pod$('ghostly')).toBeUndefined();
    expect(h.pod$('tolerant')).toBeDefined();
  });
});
