import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { InformerFactory, RESOURCES, silentLogger, type Endpoints, type Service } from '@mk8s/shared';
import { FakeClient, freePort, waitFor } from '@mk8s/shared/testing';
import { AddressManager } from './addresses.js';
import { newProxyMetrics } from './metrics.js';
import { Proxier } from './proxier.js';

/** ClusterIPs in 127/8 are local on Linux already, so listeners bind without touching `lo`. */
const VIP = '127.0.0.5';

function fakeAddresses() {
  const have = new Set<string>();
  const exec = async (_cmd: string, args: string[]): Promise<string> => {
    if (args[0] === '-o') return [...have].map((ip) => `1: lo    inet ${ip}/32 scope global lo:t`).join('\n');
    const ip = args[2]!.replace('/32', '');
    if (args[1] === 'add') have.add(ip);
    if (args[1] === 'del') have.delete(ip);
    return '';
  };
  return { have, manager: new AddressManager('lo', 't', silentLogger(), exec) };
}

const service = (port: number, extra: Partial<Service['spec']> = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { type: 'ClusterIP', clusterIP: VIP, ports: [{ name: 'http', port, protocol: 'TCP' }], ...extra },
});

const endpoints = (ips: string[]): Endpoints => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'web', namespace: 'default' },
  subsets: ips.length ? [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] : [],
});

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function setup() {
  const client = new FakeClient();
  const factory = new InformerFactory(client);
  const addrs = fakeAddresses();
  const proxier = new Proxier({
    services: factory.informerFor<Service>(RESOURCES.services),
    endpoints: factory.informerFor<Endpoints>(RESOURCES.endpoints),
    addresses: addrs.manager,
    metrics: newProxyMetrics(new Registry()),
    log: silentLogger(),
    nodePortAddresses: ['127.0.0.1'],
    dialTimeoutMs: 1000,
    udpIdleMs: 1000,
    resyncMs: 60_000,
  });
  factory.start();
  await factory.waitForSync();
  proxier.start();
  stop = async () => {
    await proxier.stop();
    await factory.stop();
  };
  const svcs = client.resource<Service>(RESOURCES.services);
  const eps = client.resource<Endpoints>(RESOURCES.endpoints);
  const listenersBecome = (want: string[]) =>
    waitFor(async () => {
      await proxier.idle();
      return JSON.stringify(proxier.listenerIds()) === JSON.stringify([...want].sort());
    }, { timeoutMs: 5000, intervalMs: 20, message: () => `listeners ${JSON.stringify(proxier.listenerIds())}, want ${JSON.stringify(want)}` });
  return { proxier, addrs, svcs, eps, listenersBecome };
}

describe('Proxier', () => {
  it('follows endpoints, port and type changes and deletion without a restart', async () => {
    const { addrs, svcs, eps, listenersBecome } = await setup();
    const [p1, p2, np] = [await freePort(), await freePort(), await freePort()];

    await svcs.create(service(p1));
    await waitFor(() => addrs.have.has(VIP), { timeoutMs: 5000, intervalMs: 20 });
    await listenersBecome([]); // no endpoints yet: nothing listens, the kernel refuses

    await eps.create(endpoints(['10.244.1.2']));
    await listenersBecome([`TCP|${VIP}|${p1}`]);

    await eps.update({ ...(await eps.get('default', 'web')), subsets: [] });
    await listenersBecome([]);
    expect(addrs.have.has(VIP)).toBe(true); // the address stays while the service exists

    await eps.update({ ...(await eps.get('default', 'web')), ...endpoints(['10.244.1.2', '10.244.1.3']) });
    await svcs.update({ ...(await svcs.get('default', 'web')), spec: service(p2).spec });
    await listenersBecome([`TCP|${VIP}|${p2}`]);

    await svcs.update({ ...(await svcs.get('default', 'web')), spec: service(p2, { type: 'NodePort', ports: [{ name: 'http', port: p2, nodePort: np }] }).spec });
    await listenersBecome([`TCP|${VIP}|${p2}`, `TCP|127.0.0.1|${np}`]);

    await svcs.update({ ...(await svcs.get('default', 'web')), spec: service(p2).spec });
    await listenersBecome([`TCP|${VIP}|${p2}`]);

    await svcs.delete('default', 'web');
    await listenersBecome([]);
    await waitFor(() => !addrs.have.has(VIP), { timeoutMs: 5000, intervalMs: 20, message: 'address not removed' });
  });

  it('stop closes listeners and removes its addresses', async () => {
    const { proxier, addrs, svcs, eps, listenersBecome } = await setup();
    const port = await freePort();
    await svcs.create(service(port));
    await eps.create(endpoints(['10.244.1.2']));
    await listenersBecome([`TCP|${VIP}|${port}`]);
    await proxier.stop();
    expect(proxier.listenerIds()).toEqual([]);
    expect([...addrs.have]).toEqual([]);
  });
});
