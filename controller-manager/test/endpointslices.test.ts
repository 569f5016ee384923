/**
 * The EndpointSlice controller end to end: a real control plane and the compiled
 * controller-manager, no kubelet (the test writes pod status as a kubelet would). Slices follow
 * pods becoming ready, not ready, terminating and deleted, and go with their Service; a
 * service's endpoints spread over slices of at most --max-endpoints-per-slice (3 here); the
 * stock kubectl 1.33 reads them for `describe service` and prints them with `get endpointslices`.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type EndpointSlice, type Node, type Pod, type Service } from '@mk8s/shared';
import { kubectlBinary, waitFor } from '@mk8s/shared/testing';
import { startClusterWithControllers, type ClusterWithControllers } from './cluster.js';
import { setPodReady } from './helpers.js';

let c: ClusterWithControllers;
beforeAll(async () => {
  // node-1 never posts a heartbeat: without the node lifecycle controller nobody marks its pods
  // not ready behind the test's back (readiness here is what the test writes)
  c = await startClusterWithControllers(['--max-endpoints-per-slice', '3', '--controllers', '*,-nodelifecycle']);
  await c.cp.client.resource<Node>(RESOURCES.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {} });
}, 120_000);
afterAll(async () => {
  await c?.stop();
});

const pods = () => c.cp.client.resource<Pod>(RESOURCES.pods);
const services = () => c.cp.client.resource<Service>(RESOURCES.services);
const slicesApi = () => c.cp.client.resource<EndpointSlice>(RESOURCES.endpointslices);
const logs = () => c.cm.logs().slice(-5000);

async function createService(name: string, app: string): Promise<Service> {
  return services().create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { tier: 'front' } },
    spec: { selector: { app }, ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  });
}

async function createPod(name: string, app: string, ip: string): Promise<void> {
  await pods().create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app } },
    spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  await setReady(name, ip, true);
}

const setReady = (name: string, ip: string, ready: boolean): Promise<void> =>
  setPodReady(c.cp.client, { metadata: { name, namespace: 'default' }, spec: { containers: [] } }, ready, ip);

const slicesOf = async (service: string) => (await slicesApi().list('default', { labelSelector: `kubernetes.io/service-name=${service}` })).items;
/** `ip:ready/serving/terminating` of every endpoint of the service's slices, sorted. */
const states = (slices: EndpointSlice[]) =>
  slices.flatMap((s) => (s.endpoints ?? []).map((e) => `${e.addresses[0]}:${e.conditions?.ready}/${e.conditions?.serving}/${e.conditions?.terminating}`)).sort();
async function waitForStates(service: string, want: string[], what: string): Promise<EndpointSlice[]> {
  return waitFor(
    async () => {
      const slices = await slicesOf(service);
      return states(slices).join() === want.join() ? slices : undefined;
    },
    { timeoutMs: 30_000, message: () => `${what}: slices never showed ${want.join()}; controller-manager logs:\n${logs()}` },
  );
}

async function kubectl133(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(kubectlBinary('1.33'), ['--kubeconfig', c.cp.kubeconfigFor('admin'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return stdout;
}

describe('endpointslice controller (e2e)', () => {
  it('keeps one slice in step with pods becoming ready, not ready, terminating and deleted, and removes it with the service', async () => {
    const svc = await createService('echo', 'echo');
    await createPod('echo-a', 'echo', '10.244.0.11');
    await createPod('echo-b', 'echo', '10.244.0.12');
    const [slice, ...others] = await waitForStates('echo', ['10.244.0.11:true/true/false', '10.244.0.12:true/true/false'], 'two ready pods');
    expect(others).toEqual([]);
    expect(slice?.metadata.name).toMatch(/^echo-[a-z0-9]{5}$/);
    expect(slice?.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'echo', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice?.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'echo', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice?.addressType).toBe('IPv4');
    expect(slice?.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
    const a = await pods().get('default', 'echo-a');
    expect(slice?.endpoints?.[0]).toEqual({
      addresses: ['10.244.0.11'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'node-1',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'echo-a', uid: a.metadata.uid },
    });

    await setReady('echo-b', '10.244.0.12', false);
    const [afterUnready] = await waitForStates('echo', ['10.244.0.11:true/true/false', '10.244.0.12:false/false/false'], 'echo-b not ready');
    expect(afterUnready?.metadata.name).toBe(slice?.metadata.name); // updated in place, not replaced

    await pods().delete('default', 'echo-a'); // graceful: no kubelet finishes it, so it stays terminating
    await waitForStates('echo', ['10.244.0.11:false/true/true', '10.244.0.12:false/false/false'], 'echo-a terminating');
    await pods().delete('default', 'echo-a', { gracePeriodSeconds: 0 });
    const [afterDelete] = await waitForStates('echo', ['10.244.0.12:false/false/false'], 'echo-a deleted');
    expect(afterDelete?.metadata.name).toBe(slice?.metadata.name);

    await services().delete('default', 'echo');
    await waitFor(async () => (await slicesOf('echo')).length === 0, { timeoutMs: 30_000, message: () => `slices outlived the service: ${logs()}` });
    // Every write went against an up-to-date cache: no conflicts, no retried syncs.
    expect(c.cm.logs().split('\n').filter((l) => l.includes('"queue":"endpoint_slice"') && l.includes('sync failed'))).toEqual([]);
  });

  it('keeps a placeholder slice for a service without pods and fills it when pods come', async () => {
    await createService('lonely', 'lonely');
    const [placeholder] = await waitFor(async () => {
      const s = await slicesOf('lonely');
      return s.length === 1 ? s : undefined;
    }, { timeoutMs: 30_000, message: () => `no placeholder slice: ${logs()}` });
    expect(placeholder?.endpoints ?? []).toEqual([]);
    await createPod('lonely-a', 'lonely', '10.244.0.21');
    const [filled, ...rest] = await waitForStates('lonely', ['10.244.0.21:true/true/false'], 'pod into the placeholder');
    expect(rest).toEqual([]);
    expect(filled?.metadata.name).toBe(placeholder?.metadata.name);
  });
});

describe('endpointslice controller with --max-endpoints-per-slice 3 (e2e)', () => {
  it('spreads seven pods over slices of at most three and removes endpoints in place', async () => {
    await createService('many', 'many');
    const n = 7;
    for (let i = 0; i < n; i++) await createPod(`many-${i}`, 'many', `10.244.1.${i + 1}`);
    const all = Array.from({ length: n }, (_x, i) => `10.244.1.${i + 1}:true/true/false`).sort();
    const slices = await waitForStates('many', all, 'seven pods');
    // how the seven are packed depends on how the pod events were batched ([3,3,1] one by one)
    const sizes = slices.map((s) => s.endpoints?.length ?? 0);
    expect(sizes.every((k) => k >= 1 && k <= 3)).toBe(true);
    expect(sizes.length).toBeLessThanOrEqual(4);

    for (const i of [0, 1, 2]) await pods().delete('default', `many-${i}`, { gracePeriodSeconds: 0 });
    const after = await waitForStates('many', all.filter((x) => !/^10\.244\.1\.[123]:/.test(x)), 'three pods deleted');
    expect(after.every((s) => (s.endpoints?.length ?? 0) <= 3)).toBe(true);
    expect(after.every((s) => slices.some((b) => b.metadata.name === s.metadata.name))).toBe(true); // no new slices
  });
});

describe('stock kubectl 1.33 and EndpointSlices', () => {
  it('describe service lists the ready pod endpoints from the slices; get endpointslices prints the Table', async () => {
    await createService('shop', 'shop');
    await createPod('shop-a', 'shop', '10.244.0.31');
    await createPod('shop-b', 'shop', '10.244.0.32');
    await createPod('shop-c', 'shop', '10.244.0.33');
    await setReady('shop-c', '10.244.0.33', false);
    const [slice] = await waitForStates('shop', ['10.244.0.31:true/true/false', '10.244.0.32:true/true/false', '10.244.0.33:false/false/false'], 'shop pods');

    const describeOut = await kubectl133(['describe', 'service', 'shop']);
    expect(describeOut).toMatch(/^Endpoints:\s+10\.244\.0\.31:8080,10\.244\.0\.32:8080$/m);

    const get = await kubectl133(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=shop']);
    const [header, row, ...more] = get.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(header).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    expect(row?.slice(0, 4)).toEqual([slice?.metadata.name, 'IPv4', '8080', '10.244.0.31,10.244.0.32,10.244.0.33']);
    expect(more).toEqual([]);

    // The apiserver keeps the slice of its own `kubernetes` service.
    expect(await kubectl133(['describe', 'service', 'kubernetes'])).toMatch(/^Endpoints:\s+\d+\.\d+\.\d+\.\d+:\d+$/m);

    const byName = await kubectl133(['get', 'endpointslice', slice?.metadata.name ?? '', '-o', 'jsonpath={.metadata.labels.kubernetes\\.io/service-name}']);
    expect(byName).toBe('shop');
    const byField = await slicesApi().list('default', { fieldSelector: `metadata.name=${slice?.metadata.name},metadata.namespace=default` });
    expect(byField.items.map((s) => s.metadata.name)).toEqual([slice?.metadata.name]);

    const described = await kubectl133(['describe', 'endpointslice', slice?.metadata.name ?? '']);
    expect(described).toMatch(/^AddressType:\s+IPv4$/m);
    expect(described).toMatch(/^\s+web\s+8080\s+TCP$/m);
    expect(described.match(/Ready:\s+(true|false)/g)).toEqual(['Ready:    true', 'Ready:    true', 'Ready:    false']);
    expect(described).toContain('TargetRef:  Pod/shop-c');
  });

  it('create -f validates an EndpointSlice against the server, which refuses a bad one', async () => {
    const path = join(c.cp.dir, 'manual-slice.yaml');
    const manifest = (addressType: string) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: manual-1
  labels: {kubernetes.io/service-name: manual}
addressType: ${addressType}
ports:
- name: http
  port: 8080
endpoints:
- addresses: [10.1.2.3]
  conditions: {ready: true}
`;
    writeFileSync(path, manifest('IP'));
    await expect(kubectl133(['create', '-f', path])).rejects.toThrow(/addressType: Unsupported value: "IP"/);
    writeFileSync(path, manifest('IPv4'));
    expect(await kubectl133(['create', '-f', path])).toContain('endpointslice.discovery.k8s.io/manual-1 created');
    const created = await slicesApi().get('default', 'manual-1');
    expect(created.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(await kubectl133(['delete', 'endpointslice', 'manual-1'])).toContain('deleted');
  });

  it('apply -f replaces the atomic endpoints list; discovery and explain know the kind', async () => {
    const path = join(c.cp.dir, 'applied-slice.yaml');
    const manifest = (ips: string[]) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: applied-1
  labels: {kubernetes.io/service-name: applied}
addressType: IPv4
ports:
- {name: http, port: 8080, protocol: TCP}
endpoints:
${ips.map((ip) => `- addresses: [${ip}]`).join('\n')}
`;
    writeFileSync(path, manifest(['10.1.0.1', '10.1.0.2']));
    expect(await kubectl133(['apply', '-f', path])).toContain('endpointslice.discovery.k8s.io/applied-1 created');
    writeFileSync(path, manifest(['10.1.0.3']));
    expect(await kubectl133(['apply', '-f', path])).toContain('endpointslice.discovery.k8s.io/applied-1 configured');
    expect((await slicesApi().get('default', 'applied-1')).endpoints).toEqual([{ addresses: ['10.1.0.3'] }]);

    expect(await kubectl133(['api-resources', '--api-group', 'discovery.k8s.io', '--no-headers'])).toMatch(/^endpointslices\s+discovery\.k8s\.io\/v1\s+true\s+EndpointSlice$/m);
    const explain = await kubectl133(['explain', 'endpointslices.endpoints']);
    expect(explain).toContain('KIND:       EndpointSlice');
    expect(explain).toMatch(/conditions\s+<EndpointConditions>/);
  });
});
