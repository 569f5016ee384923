import { describe, expect, it } from 'vitest';
import { RESOURCES, silentLogger, type Endpoints, type KubeObject, type Pod, type ResourceType, type Service } from '@mk8s/shared';
import { FakeClient, newPod, newService } from '@mk8s/shared/testing';
import { EndpointsController } from './controller.js';

const lister = <T extends KubeObject>(client: FakeClient, type: ResourceType) => ({
  get: (ns: string | undefined, name: string) => client.stored<T>(type, ns, name),
  list: (ns?: string) => client.all<T>(type).filter((o) => ns === undefined || o.metadata.namespace === ns),
});

function setup(objs: [ResourceType, KubeObject][]) {
  const client = new FakeClient();
  for (const [t, o] of objs) client.seed(t, [o]);
  const queued: string[] = [];
  const c = new EndpointsController({
    services: lister<Service>(client, RESOURCES.services),
    pods: lister<Pod>(client, RESOURCES.pods),
    endpoints: lister<Endpoints>(client, RESOURCES.endpoints),
    endpointsApi: client.resource<Endpoints>(RESOURCES.endpoints),
    logger: silentLogger(),
    enqueue: (k) => queued.push(k),
  });
  return { client, c, queued };
}

const ready = (name: string, ip: string) => newPod(name, { labels: { app: 'web' }, phase: 'Running', ready: true, podIP: ip, nodeName: 'n1' });

describe('EndpointsController.sync', () => {
  it('creates endpoints for a service with a selector, then writes nothing while nothing changes', async () => {
    const { client, c } = setup([
      [RESOURCES.services, newService('web', { labels: { tier: 'front' } })],
      [RESOURCES.pods, ready('a', '10.0.0.1')],
    ]);
    await c.sync('default/web');
    const ep = client.stored<Endpoints>(RESOURCES.endpoints, 'default', 'web')!;
    expect(ep.metadata.labels).toEqual({ tier: 'front' });
    expect(ep.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
    client.clearActions();
    await c.sync('default/web');
    expect(client.actionsFor('update')).toEqual([]);
    expect(client.actionsFor('create')).toEqual([]);
  });

  it('updates when a pod becomes not ready', async () => {
    const { client, c } = setup([[RESOURCES.services, newService('web')], [RESOURCES.pods, ready('a', '10.0.0.1')]]);
    await c.sync('default/web');
    await client.resource<Pod>(RESOURCES.pods).patch('default', 'a', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, 'merge', { subresource: 'status' });
    await c.sync('default/web');
    const ep = client.stored<Endpoints>(RESOURCES.endpoints, 'default', 'web')!;
    expect(ep.subsets).toEqual([{ notReadyAddresses: [expect.objectContaining({ ip: '10.0.0.1' })], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }]);
  });

  it.each([
    ['deletes the endpoints of a deleted service', 'default/gone', undefined, ['delete']],
    ['leaves user-managed endpoints of a service without selector alone', 'default/manual', { manual: true }, []],
    ['never touches default/kubernetes', 'default/kubernetes', { kubernetes: true }, []],
  ])('%s', async (_n, key, _x, verbs) => {
    const name = key.split('/')[1]!;
    const manual = newService('manual');
    delete manual.spec.selector;
    const kube = newService('kubernetes');
    const user: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' }, subsets: [{ addresses: [{ ip: '1.2.3.4' }], ports: [{ port: 6443 }] }] };
    const { client, c } = setup([
      [RESOURCES.services, manual],
      [RESOURCES.services, kube],
      [RESOURCES.endpoints, user],
      [RESOURCES.pods, ready('a', '10.0.0.1')],
    ]);
    await c.sync(key);
    expect(client.actions.map((a) => a.verb)).toEqual(verbs);
  });

  it('pod events enqueue the services selecting the old or new labels', () => {
    const { c, queued } = setup([
      [RESOURCES.services, newService('web')],
      [RESOURCES.services, newService('api')],
    ]);
    const a = ready('a', '10.0.0.1');
    const relabeled = { ...a, metadata: { ...a.metadata, labels: { app: 'api' }, resourceVersion: '99' } };
    c.onPodUpdate(a, relabeled);
    expect(queued.sort()).toEqual(['default/api', 'default/web']);
  });

  it('leftoverKeys names endpoints without a service', () => {
    const ep = (name: string): Endpoints => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' } });
    const { c } = setup([
      [RESOURCES.services, newService('web')],
      [RESOURCES.endpoints, ep('web')],
      [RESOURCES.endpoints, ep('stale')],
      [RESOURCES.endpoints, ep('kubernetes')],
    ]);
    expect(c.leftoverKeys()).toEqual(['default/stale']);
  });
});
