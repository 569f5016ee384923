/**
 * Service address allocation against a real etcd and apiserver: ClusterIPs from the range,
 * never twice, released on delete; NodePorts; headless services; the `kubernetes` service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Etcd3 } from 'etcd3';
import { ApiError, RESOURCES, type Endpoints, type Service } from '@mk8s/shared';
import { startControlPlane, type TestControlPlane } from '@mk8s/shared/testing';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane({ apiserverArgs: ['--service-cluster-ip-range', '10.100.0.0/28', '--service-node-port-range', '30000-30005'] });
});
afterAll(async () => {
  await cp?.stop();
});

const svcs = () => cp.client.resource<Service>(RESOURCES.services);
const svc = (name: string, spec: Partial<Service['spec']> = {}): Service => ({
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
});

async function errorOf(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an API error');
}

describe('services', () => {
  it('has the kubernetes service on the first address, with endpoints at the apiserver', async () => {
    const k = await svcs().get('default', 'kubernetes');
    expect(k.spec.clusterIP).toBe('10.100.0.1');
    expect(k.spec.ports?.[0]?.port).toBe(443);
    const ep = await cp.client.resource<Endpoints>(RESOURCES.endpoints).get('default', 'kubernetes');
    expect(ep.subsets?.[0]?.ports?.[0]?.port).toBe(cp.port);
  });

  it('allocates distinct addresses from the range and reuses them only after delete', async () => {
    const ips = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const s = await svcs().create(svc(`ip-${i}`));
      expect(s.spec.clusterIP).toMatch(/^10\.100\.0\.(\d+)$/);
      expect(s.spec.clusterIPs).toEqual([s.spec.clusterIP]);
      ips.add(s.spec.clusterIP!);
    }
    expect(ips.size).toBe(5);
    const taken = (await svcs().get('default', 'ip-0')).spec.clusterIP!;
    const dup = await errorOf(svcs().create(svc('dup', { clusterIP: taken })));
    expect(dup.code).toBe(422);
    expect(dup.message).toContain('already allocated');
    await svcs().delete('default', 'ip-0');
    const again = await svcs().create(svc('reuse', { clusterIP: taken }));
    expect(again.spec.clusterIP).toBe(taken);
  });

  it('refuses an address outside the range', async () => {
    const err = await errorOf(svcs().create(svc('outside', { clusterIP: '10.200.0.5' })));
    expect(err.code).toBe(422);
    expect(err.details?.causes?.[0]?.field).toBe('spec.clusterIP');
  });

  it('gives NodePort services node ports from the range and frees them on delete', async () => {
    const a = await svcs().create(svc('np-a', { type: 'NodePort' }));
    const port = a.spec.ports?.[0]?.nodePort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(30005);
    const clash = await errorOf(svcs().create(svc('np-b', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] })));
    expect(clash.message).toContain('already allocated');
    await svcs().delete('default', 'np-a');
    const b = await svcs().create(svc('np-b', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }));
    expect(b.spec.ports?.[0]?.nodePort).toBe(port);
  });

  it('keeps the address across an update and allocates nothing for headless services', async () => {
    const s = await svcs().create(svc('keep'));
    const updated = await svcs().patch('default', 'keep', { spec: { ports: [{ port: 81, targetPort: 8081 }] } });
    expect(updated.spec.clusterIP).toBe(s.spec.clusterIP);
    const headless = await svcs().create(svc('headless', { clusterIP: 'None' }));
    expect(headless.spec.clusterIP).toBe('None');
    const immutable = await errorOf(svcs().patch('default', 'keep', { spec: { clusterIP: '10.100.0.14' } }));
    expect(immutable.code).toBe(422);
  });

  it('reclaims the addresses of stored services at start, even when their claims were lost', async () => {
    const s = await svcs().create(svc('lost-claim'));
    const etcd = new Etcd3({ hosts: cp.etcd.endpoint });
    try {
      await etcd.delete().key(`/registry/ranges/serviceips/${s.spec.clusterIP}`).exec();
    } finally {
      etcd.close();
    }
    await cp.restartApiserver();
    const err = await errorOf(svcs().create(svc('thief', { clusterIP: s.spec.clusterIP })));
    expect(err.code).toBe(422);
    expect(err.message).toContain('already allocated');
    // the kubernetes service, reconciled at every start, keeps its claim too
    const k = await errorOf(svcs().create(svc('thief-k', { clusterIP: '10.100.0.1' })));
    expect(k.message).toContain('already allocated');
  });
});
