import { describe, expect, it } from 'vitest';
import { RESOURCES, silentLogger, type EndpointSlice, type KubeObject, type Pod, type ResourceType, type Service } from '@mk8s/shared';
import { FakeClient, newPod, newService } from '@mk8s/shared/testing';
import { EndpointSliceController } from './controller.js';
import { SliceTracker } from './tracker.js';

const lister = <T extends KubeObject>(client: FakeClient, type: ResourceType) => ({
  get: (ns: string | undefined, name: string) => client.stored<T>(type, ns, name),
  list: (ns?: string) => client.all<T>(type).filter((o) => ns === undefined || o.metadata.namespace === ns),
});

function setup(objs: [ResourceType, KubeObject][], o: { slices?: () => EndpointSlice[]; now?: () => number } = {}) {
  const client = new FakeClient();
  for (const [t, obj] of objs) client.seed(t, [obj]);
  const queued: string[] = [];
  const later: string[] = [];
  const slices = lister<EndpointSlice>(client, RESOURCES.endpointslices);
  const c = new EndpointSliceController({
    services: lister<Service>(client, RESOURCES.services),
    pods: lister<Pod>(client, RESOURCES.pods),
    slices: o.slices ? { get: () => undefined, list: o.slices } : slices,
    slicesApi: client.resource<EndpointSlice>(RESOURCES.endpointslices),
    logger: silentLogger(),
    enqueue: (k) => queued.push(k),
    enqueueAfter: (k) => later.push(k),
    maxEndpointsPerSlice: 100,
    tracker: new SliceTracker(o.now),
  });
  const stored = () => client.all<EndpointSlice>(RESOURCES.endpointslices);
  return { client, c, queued, later, stored };
}

const ready = (name: string, ip: string, isReady = true) => newPod(name, { labels: { app: 'web' }, phase: 'Running', ready: isReady, podIP: ip, nodeName: 'n1' });
const web = () => newService('web', { uid: 'web-uid', selector: { app: 'web' } });
const ipsOf = (slices: EndpointSlice[]) => slices.flatMap((s) => (s.endpoints ?? []).map((e) => `${e.addresses[0]}:${e.conditions?.ready}`)).sort();

describe('EndpointSliceController.sync', () => {
  it('creates a slice, then writes nothing while nothing changes', async () => {
    const { client, c, stored } = setup([[RESOURCES.services, web()], [RESOURCES.pods, ready('a', '10.0.0.1')], [RESOURCES.pods, ready('b', '10.0.0.2', false)]]);
    await c.sync('default/web');
    expect(stored().map((s) => s.metadata.name)).toEqual([expect.stringMatching(/^web-[a-z0-9]{5}$/)]);
    expect(ipsOf(stored())).toEqual(['10.0.0.1:true', '10.0.0.2:false']);
    client.clearActions();
    await c.sync('default/web');
    expect(client.actions).toEqual([]);
  });

  it('updates the same slice when a pod turns ready', async () => {
    const { client, c, stored } = setup([[RESOURCES.services, web()], [RESOURCES.pods, ready('a', '10.0.0.1', false)]]);
    await c.sync('default/web');
    const name = stored()[0]?.metadata.name;
    await client.resource<Pod>(RESOURCES.pods).patch('default', 'a', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'merge', { subresource: 'status' });
    client.clearActions();
    await c.sync('default/web');
    expect(client.actions.map((a) => a.verb)).toEqual(['update']);
    expect(stored().map((s) => s.metadata.name)).toEqual([name]);
    expect(ipsOf(stored())).toEqual(['10.0.0.1:true']);
  });

  it.each([
    ['a deleted service loses its slices', (s: Service) => s, false, []],
    ['an ExternalName service loses its slices', (s: Service) => ({ ...s, spec: { ...s.spec, type: 'ExternalName' as const } }), true, []],
    ['a service without selector keeps them (user-managed)', (s: Service) => ({ ...s, spec: { ...s.spec, selector: {} } }), true, ['10.0.0.1:true']],
  ])('%s', async (_n, change, keep, want) => {
    const { client, c, stored } = setup([[RESOURCES.services, web()], [RESOURCES.pods, ready('a', '10.0.0.1')]]);
    await c.sync('default/web');
    const svcApi = client.resource<Service>(RESOURCES.services);
    if (keep) await svcApi.update(change((await svcApi.get('default', 'web'))));
    else await svcApi.delete('default', 'web');
    await c.sync('default/web');
    expect(ipsOf(stored())).toEqual(want);
  });

  it('waits while the slice cache lags its own writes, instead of creating twice', async () => {
    let now = 0;
    const { c, later, stored } = setup([[RESOURCES.services, web()], [RESOURCES.pods, ready('a', '10.0.0.1')]], { slices: () => [], now: () => now });
    await c.sync('default/web');
    await c.sync('default/web');
    expect(stored()).toHaveLength(1);
    expect(later).toEqual(['default/web']);
    now = 60_000; // the expectation expires; the sync acts on what it sees
    await c.sync('default/web');
    expect(stored()).toHaveLength(2);
  });

  it('pod events enqueue the services selecting the old or new labels; slice events their service', () => {
    const api = newService('api', { selector: { app: 'api' } });
    const { c, queued } = setup([[RESOURCES.services, web()], [RESOURCES.services, api]]);
    const a = ready('a', '10.0.0.1');
    c.onPodUpdate(a, { ...a, metadata: { ...a.metadata, labels: { app: 'api' }, resourceVersion: '99' } });
    const slice = (labels: Record<string, string>): EndpointSlice => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'x', namespace: 'default', labels }, addressType: 'IPv4' });
    c.onSliceChange(slice({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }));
    c.onSliceChange(slice({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'someone-else' }));
    expect(queued.sort()).toEqual(['default/api', 'default/web', 'default/web']);
  });
});
