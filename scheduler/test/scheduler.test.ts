/**
 * End-to-end: the compiled scheduler against a real apiserver and etcd, with nodes as API
 * objects only (created, then made Ready through the status subresource; no kubelets).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES, type Event, type Node, type Pod, type RestClient } from '@mk8s/shared';
import { spawnComponent, startControlPlane, waitFor, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';
import { node, pod, type NodeOpts, type PodOpts } from '../src/testing/fixtures.js';

let cp: TestControlPlane | undefined;
const procs: ManagedProcess[] = [];

afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
  await cp?.stop();
  cp = undefined;
});

async function setup(): Promise<RestClient> {
  cp = await startControlPlane();
  return cp.client;
}

function startScheduler(extra: string[] = []): ManagedProcess {
  const p = spawnComponent('scheduler', ['--kubeconfig', cp!.kubeconfigFor('scheduler'), '--ops-port', '0', ...extra], { env: { LOG_LEVEL: 'info' } });
  procs.push(p);
  return p;
}

/** Registers a node the way a kubelet would: create, then report Ready status. */
async function registerNode(client: RestClient, name: string, o: NodeOpts = {}): Promise<void> {
  const n = node(name, o);
  const { status, ...rest } = n;
  await client.resource<Node>(RESOURCES.nodes).create({ ...rest, metadata: { name, labels: n.metadata.labels } });
  await client.resource<Node>(RESOURCES.nodes).patch(undefined, name, { status }, 'merge', { subresource: 'status' });
}

async function createPod(client: RestClient, name: string, o: PodOpts = {}): Promise<void> {
  const p = pod(name, o);
  await client.resource<Pod>(RESOURCES.pods).create({ ...p, metadata: { name, namespace: 'default', labels: p.metadata.labels }, status: undefined });
}

const getPod = (client: RestClient, name: string): Promise<Pod> => client.resource<Pod>(RESOURCES.pods).get('default', name);

async function nodesOf(client: RestClient, names: string[], proc: ManagedProcess, timeoutMs = 30_000): Promise<Record<string, string>> {
  return waitFor(
    async () => {
      const pods = (await client.resource<Pod>(RESOURCES.pods).list('default')).items;
      const placed = Object.fromEntries(pods.filter((p) => names.includes(p.metadata.name!) && p.spec.nodeName).map((p) => [p.metadata.name!, p.spec.nodeName!]));
      return Object.keys(placed).length === names.length ? placed : undefined;
    },
    { timeoutMs, message: () => `pods not all bound; scheduler logs:\n${proc.logs().slice(-4000)}` },
  );
}

async function eventsFor(client: RestClient, podName: string, reason: string): Promise<Event[]> {
  const all = (await client.resource<Event>(RESOURCES.events).list('default')).items;
  return all.filter((e) => e.involvedObject.name === podName && e.reason === reason);
}

describe('scheduler (real apiserver)', () => {
  it('spreads pods across nodes', async () => {
    const client = await setup();
    for (const n of ['n1', 'n2', 'n3']) await registerNode(client, n);
    const s = startScheduler();
    const names = Array.from({ length: 6 }, (_, i) => `web-${i}`);
    for (const name of names) await createPod(client, name, { cpu: '250m', memory: '64Mi' });
    const placed = await nodesOf(client, names, s);
    const perNode: Record<string, number> = {};
    for (const n of Object.values(placed)) perNode[n] = (perNode[n] ?? 0) + 1;
    expect(perNode).toEqual({ n1: 2, n2: 2, n3: 2 });
    const p = await getPod(client, 'web-0');
    expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    await waitFor(async () => (await eventsFor(client, 'web-0', 'Scheduled')).length === 1);
    const port = /"port":(\d+),"msg":"ops server listening"/.exec(s.logs())?.[1];
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('scheduler_schedule_attempts_total{result="scheduled"} 6');
    expect(metrics).toContain('scheduler_pod_scheduling_duration_seconds_count 6');
    expect(metrics).toContain('scheduler_pending_pods{queue="active"} 0');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await eventsFor(client, 'web-0', 'Scheduled'))[0]).toMatchObject({ type: 'Normal', message: `Successfully assigned default/web-0 to ${placed['web-0']}` });
  });

  it('keeps a pod that fits nowhere Pending with a FailedScheduling event, then schedules it when a node with room registers', async () => {
    const client = await setup();
    await registerNode(client, 'small-1', { cpu: '2' });
    await registerNode(client, 'small-2', { cpu: '2', memory: '1Gi' });
    const s = startScheduler();
    await createPod(client, 'big', { cpu: '4', memory: '2Gi' });
    const message = '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.';
    const failed = await waitFor(async () => (await eventsFor(client, 'big', 'FailedScheduling'))[0], {
      message: () => `no FailedScheduling event; scheduler logs:\n${s.logs().slice(-4000)}`,
    });
    expect(failed).toMatchObject({ type: 'Warning', message, source: { component: 'default-scheduler' } });
    const pending = await waitFor(async () => {
      const p = await getPod(client, 'big');
      return p.status?.conditions?.some((c) => c.type === 'PodScheduled') ? p : undefined;
    });
    expect(pending.spec.nodeName).toBeUndefined();
    expect(pending.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });

    await registerNode(client, 'large', { cpu: '8', memory: '16Gi' });
    expect(await nodesOf(client, ['big'], s)).toEqual({ big: 'large' });
  });

  it('respects nodeSelector and NoSchedule taints', async () => {
    const client = await setup();
    await registerNode(client, 'plain');
    await registerNode(client, 'ssd', { labels: { disk: 'ssd' } });
    await registerNode(client, 'gpu', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] });
    await registerNode(client, 'cordoned', { unschedulable: true });
    await registerNode(client, 'notready', { ready: 'False' });
    const s = startScheduler();
    await createPod(client, 'wants-ssd', { nodeSelector: { disk: 'ssd' } });
    await createPod(client, 'tolerates-gpu', { nodeSelector: { 'kubernetes.io/hostname': 'gpu' }, tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] });
    await createPod(client, 'wants-gpu-untolerated', { nodeSelector: { 'kubernetes.io/hostname': 'gpu' } });
    const plain = Array.from({ length: 6 }, (_, i) => `plain-${i}`);
    for (const name of plain) await createPod(client, name);
    const placed = await nodesOf(client, ['wants-ssd', 'tolerates-gpu', ...plain], s);
    expect(placed['wants-ssd']).toBe('ssd');
    expect(placed['tolerates-gpu']).toBe('gpu');
    for (const name of plain) expect(['plain', 'ssd']).toContain(placed[name]);
    const failed = await waitFor(async () => (await eventsFor(client, 'wants-gpu-untolerated', 'FailedScheduling'))[0]);
    expect(failed.message).toBe(
      "0/5 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 1 node(s) were not ready, 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector.",
    );
    expect((await getPod(client, 'wants-gpu-untolerated')).spec.nodeName).toBeUndefined();
  });

  it('with two replicas, only the leader binds, each pod exactly once, and the standby takes over', async () => {
    const client = await setup();
    for (const n of ['n1', 'n2']) await registerNode(client, n, { cpu: '32', pods: '200' });
    const le = ['--leader-elect-lease-duration', '4s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '500ms'];
    const a = startScheduler([...le, '--identity', 'sched-a']);
    await waitFor(() => a.logs().includes('started leading'), { message: () => a.logs() });
    const b = startScheduler([...le, '--identity', 'sched-b']);
    await waitFor(() => b.logs().includes('informers synced'), { message: () => b.logs() });

    const scheduledOnce = async (names: string[]): Promise<void> => {
      for (const name of names) {
        // events are written asynchronously after the bind: wait for each one
        const scheduled = await waitFor(async () => {
          const evs = await eventsFor(client, name, 'Scheduled');
          return evs.length > 0 ? evs : undefined;
        });
        expect(scheduled.map((e) => e.count ?? 1), name).toEqual([1]);
      }
    };

    const first = Array.from({ length: 20 }, (_, i) => `first-${i}`);
    await Promise.all(first.map((name) => createPod(client, name, { cpu: '100m' })));
    await nodesOf(client, first, a);
    await scheduledOnce(first);
    expect(b.logs()).not.toContain('started leading');

    await a.kill9();
    const second = Array.from({ length: 20 }, (_, i) => `second-${i}`);
    await Promise.all(second.map((name) => createPod(client, name, { cpu: '100m' })));
    await nodesOf(client, second, b);
    expect(b.logs()).toContain('started leading');
    await scheduledOnce(second);
    expect((await eventsFor(client, 'first-0', 'Scheduled')).map((e) => e.count ?? 1)).toEqual([1]);
    expect(a.logs() + b.logs()).not.toContain('bind refused');
  });
});
