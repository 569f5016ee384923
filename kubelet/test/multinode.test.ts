/**
 * End-to-end: two kubelets (two nodes) sharing one Docker daemon. Each hands out pod IPs
 * from its own podCIDR, pods on different nodes reach each other by pod IP, and neither
 * kubelet touches the other's containers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Node } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';
import {
  containerId,
  createPod,
  dockerExec,
  isRunningReady,
  nodeContainers,
  prepareImages,
  removeNodeContainers,
  sh,
  startKubelet,
  testPod,
  waitForPod,
  type TestKubelet,
} from './helpers.js';

const A = `e2e-node-a-${process.pid}`;
const B = `e2e-node-b-${process.pid}`;
let cp: TestControlPlane;
let ka: TestKubelet;
let kb: TestKubelet;

beforeAll(async () => {
  await prepareImages();
  cp = await startControlPlane();
  [ka, kb] = await Promise.all([startKubelet(cp, A, '10.244.206.0/24'), startKubelet(cp, B, '10.244.207.0/24')]);
});

afterAll(async () => {
  await Promise.all([ka?.stop(), kb?.stop()]);
  await Promise.all([removeNodeContainers(A), removeNodeContainers(B)]);
  await cp?.stop();
});

describe('two nodes on one Docker daemon', () => {
  it('registers both nodes with their labels, capacity and endpoints', async () => {
    const nodes = await cp.client.resource<Node>(RESOURCES.nodes).list();
    const a = nodes.items.find((n) => n.metadata.name === A);
    expect(a?.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': A, 'kubernetes.io/os': 'linux' });
    expect(a?.spec?.podCIDR).toBe('10.244.206.0/24');
    expect(a?.status?.capacity?.pods).toBe('110');
    expect(a?.status?.addresses).toEqual(expect.arrayContaining([{ type: 'InternalIP', address: '127.0.0.1' }]));
    expect(a?.status?.nodeInfo?.kubeletVersion).toBe('v1.32.0-mk8s');
    expect(a?.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^docker:\/\//);
    expect(a?.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBeGreaterThan(0);
    const lease = await waitFor(() => cp.client.resource(RESOURCES.leases).get('kube-node-lease', A));
    expect((lease as { spec?: { holderIdentity?: string } }).spec?.holderIdentity).toBe(A);
  });

  it('gives pods IPs from each node range and lets them reach each other', async () => {
    const web = 'echo "hello from $(hostname)" > /tmp/index.html; httpd -f -p 8080 -h /tmp';
    await createPod(cp.client, testPod('web-a', A, [sh('web', web)]));
    await createPod(cp.client, testPod('web-b', B, [sh('web', web)]));
    const pa = await waitForPod(cp.client, 'web-a', isRunningReady, 'Running', 60_000, () => ka.proc.logs());
    const pb = await waitForPod(cp.client, 'web-b', isRunningReady, 'Running', 60_000, () => kb.proc.logs());
    expect(pa.status?.podIP).toMatch(/^10\.244\.206\./);
    expect(pb.status?.podIP).toMatch(/^10\.244\.207\./);
    const fromA = await waitFor(async () => {
      const r = await dockerExec(containerId(pa, 'web'), ['timeout', '5', 'wget', '-qO-', `http://${pb.status?.podIP}:8080/index.html`]);
      return r.exitCode === 0 ? r.output : undefined;
    });
    expect(fromA.trim()).toBe('hello from web-b');
    const fromB = await waitFor(async () => {
      const r = await dockerExec(containerId(pb, 'web'), ['timeout', '5', 'wget', '-qO-', `http://${pa.status?.podIP}:8080/index.html`]);
      return r.exitCode === 0 ? r.output : undefined;
    });
    expect(fromB.trim()).toBe('hello from web-a');
    // each node's containers carry only its own label and survive the other's housekeeping
    expect((await nodeContainers(A)).map((c) => c.Labels['io.kubernetes.pod.name'])).toEqual(['web-a', 'web-a']);
    expect((await nodeContainers(B)).map((c) => c.Labels['io.kubernetes.pod.name'])).toEqual(['web-b', 'web-b']);
  });

  it('waits NotReady for a podCIDR assigned later (as the controller-manager does)', async () => {
    const C = `e2e-node-c-${process.pid}`;
    const kc = await startKubelet(cp, C, undefined);
    try {
      const nodes = cp.client.resource<Node>(RESOURCES.nodes);
      const before = await waitFor(async () => {
        const n = await nodes.get(undefined, C);
        return n.status?.conditions?.find((c) => c.type === 'Ready') ? n : undefined;
      });
      expect(before.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
      await nodes.patch(undefined, C, { spec: { podCIDR: '10.244.211.0/24', podCIDRs: ['10.244.211.0/24'] } }, 'merge');
      await waitFor(async () => (await nodes.get(undefined, C)).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'), {
        timeoutMs: 30_000,
        message: () => kc.proc.logs().slice(-3000),
      });
      await createPod(cp.client, testPod('web-c', C, [sh('web', 'sleep 3600')]));
      const pc = await waitForPod(cp.client, 'web-c', isRunningReady, 'Running', 60_000, () => kc.proc.logs());
      expect(pc.status?.podIP).toMatch(/^10\.244\.211\./);
    } finally {
      await kc.stop();
    }
  });
});
