import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Endpoints, type Pod, type Service } from '@mk8s/shared';
import { waitFor } from '@mk8s/shared/testing';
import { startClusterWithControllers, type ClusterWithControllers } from './cluster.js';
import { setPodReady } from './helpers.js';

let c: ClusterWithControllers;
beforeAll(async () => {
  c = await startClusterWithControllers();
});
afterAll(async () => {
  await c?.stop();
});

const pods = () => c.cp.client.resource<Pod>(RESOURCES.pods);
const eps = () => c.cp.client.resource<Endpoints>(RESOURCES.endpoints);
const logs = () => c.cm.logs().slice(-5000);

async function createPod(name: string, ip: string): Promise<void> {
  await pods().create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'echo' } },
    spec: { containers: [{ name: 'main', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  await setReady(name, ip, true);
}

const setReady = (name: string, ip: string, ready: boolean): Promise<void> =>
  setPodReady(c.cp.client, { metadata: { name, namespace: 'default' }, spec: { containers: [] } }, ready, ip);

const ipsOf = (ep: Endpoints | undefined, field: 'addresses' | 'notReadyAddresses') => (ep?.subsets ?? []).flatMap((s) => (s[field] ?? []).map((a) => a.ip)).sort();
const current = async () => {
  try {
    return await eps().get('default', 'echo');
  } catch {
    return undefined;
  }
};

describe('endpoints controller (e2e)', () => {
  it('follows pods becoming ready, unready and deleted, and goes with its service', async () => {
    await c.cp.client.resource<Service>(RESOURCES.services).create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'echo', namespace: 'default' },
      spec: { selector: { app: 'echo' }, ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    });
    await createPod('echo-a', '10.244.0.11');
    await createPod('echo-b', '10.244.0.12');
    const ep = await waitFor(async () => {
      const e = await current();
      return ipsOf(e, 'addresses').length === 2 ? e : undefined;
    }, { message: () => `endpoints never listed both pods: ${logs()}` });
    expect(ep.subsets?.[0]?.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);

    await setReady('echo-b', '10.244.0.12', false);
    await waitFor(async () => ipsOf(await current(), 'notReadyAddresses').join() === '10.244.0.12', { message: () => `echo-b never became not ready: ${logs()}` });
    expect(ipsOf(await current(), 'addresses')).toEqual(['10.244.0.11']);

    await pods().delete('default', 'echo-a');
    await waitFor(async () => ipsOf(await current(), 'addresses').length === 0, { message: () => `echo-a never left the endpoints: ${logs()}` });

    await c.cp.client.resource<Service>(RESOURCES.services).delete('default', 'echo');
    await waitFor(async () => (await current()) === undefined, { message: () => `endpoints outlived the service: ${logs()}` });
  });

  it('leaves the apiserver-managed default/kubernetes endpoints alone', async () => {
    const ep = await eps().get('default', 'kubernetes');
    expect(ep.subsets?.[0]?.addresses?.length).toBeGreaterThan(0);
  });
});
