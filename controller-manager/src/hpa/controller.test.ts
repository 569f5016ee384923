import { describe, expect, it } from 'vitest';
import { EventRecorder, RESOURCES, silentLogger, type Deployment, type Event, type HorizontalPodAutoscaler, type Pod } from '@mk8s/shared';
import { FakeClient, FakeClock, newDeployment, newPod } from '@mk8s/shared/testing';
import { HpaController } from './controller.js';
import { POD_METRICS, type PodMetrics } from './metrics.js';

const hpaFor = (spec: Partial<HorizontalPodAutoscaler['spec']> = {}): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', generation: 1 },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    ...spec,
  },
});

function setup(replicas: number, hpa = hpaFor()) {
  const clock = new FakeClock(Date.UTC(2024, 0, 1));
  const client = new FakeClient({ clock });
  client.seed(RESOURCES.deployments, [newDeployment('web', { replicas })]);
  client.seed(RESOURCES.horizontalpodautoscalers, [hpa]);
  const pods = Array.from({ length: replicas }, (_x, i) => {
    const p = newPod(`web-${i}`, { labels: { app: 'web' }, phase: 'Running', ready: true, requests: { cpu: '100m' } });
    p.status!.startTime = '2023-12-31T00:00:00Z'; // long past the cpu initialization period
    return p;
  });
  client.seed(RESOURCES.pods, pods);
  const setLoad = async (milli: number) => {
    for (const m of client.all<PodMetrics>(POD_METRICS)) await client.resource(POD_METRICS).delete('default', m.metadata.name!);
    client.seed(POD_METRICS, pods.map((p) => ({ metadata: { name: p.metadata.name, namespace: 'default', labels: { app: 'web' } }, timestamp: '2024-01-01T00:00:00Z', window: '15s', containers: [{ name: 'main', usage: { cpu: `${milli}m`, memory: '10Mi' } }] }) as PodMetrics));
  };
  const recorder = new EventRecorder({ client, component: 'controller-manager', clock });
  const c = new HpaController({
    hpas: { get: (ns, name) => client.stored<HorizontalPodAutoscaler>(RESOURCES.horizontalpodautoscalers, ns, name) },
    pods: { list: (ns) => client.all<Pod>(RESOURCES.pods).filter((p) => p.metadata.namespace === ns) },
    client,
    recorder,
    logger: silentLogger(),
    downscaleStabilizationMs: 60_000,
    clock,
  });
  const sync = async () => {
    await c.sync('default/web');
    await recorder.flush();
  };
  const replicas$ = () => client.stored<Deployment>(RESOURCES.deployments, 'default', 'web')!.spec.replicas;
  const status$ = () => client.stored<HorizontalPodAutoscaler>(RESOURCES.horizontalpodautoscalers, 'default', 'web')!.status!;
  const cond = (type: string) => status$().conditions?.find((x) => x.type === type);
  const events = () => client.all<Event>(RESOURCES.events).map((e) => `${e.reason}: ${e.message}`);
  return { client, clock, c, setLoad, sync, replicas$, status$, cond, events };
}

describe('HpaController', () => {
  it('scales up on high utilization, limited to max(2x, 4), and reports status and an event', async () => {
    const h = setup(2);
    await h.setLoad(200); // 200% of the 100m request vs a 50% target
    await h.sync();
    expect(h.replicas$()).toBe(4);
    expect(h.status$()).toMatchObject({
      currentReplicas: 2,
      desiredReplicas: 4,
      lastScaleTime: '2024-01-01T00:00:00Z',
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 200, averageValue: '200m' } } }],
    });
    expect(h.cond('AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededRescale' });
    expect(h.cond('ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
    expect(h.cond('ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit' });
    expect(h.events()).toEqual(['SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target']);
  });

  it('does nothing within the tolerance', async () => {
    const h = setup(3);
    await h.setLoad(54);
    await h.sync();
    expect(h.replicas$()).toBe(3);
    expect(h.status$()).toMatchObject({ currentReplicas: 3, desiredReplicas: 3 });
    expect(h.cond('ScalingLimited')).toMatchObject({ status: 'False', reason: 'DesiredWithinRange' });
    expect(h.events()).toEqual([]);
  });

  it('holds a scale-down for the stabilization window, then scales down to minReplicas', async () => {
    const h = setup(4, hpaFor({ minReplicas: 2 }));
    await h.setLoad(50);
    await h.sync();
    expect(h.replicas$()).toBe(4);
    await h.clock.advance(20_000);
    await h.setLoad(5);
    await h.sync();
    expect(h.replicas$()).toBe(4);
    expect(h.cond('AbleToScale')).toMatchObject({ reason: 'ScaleDownStabilized' });
    await h.clock.advance(45_000); // the 4-replica recommendation is now older than 60 s
    await h.sync();
    expect(h.replicas$()).toBe(2);
    expect(h.cond('ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooFewReplicas' });
    expect(h.events()).toEqual(['SuccessfulRescale: New size: 2; reason: All metrics below target']);
  });

  it('brings a target above maxReplicas down without metrics', async () => {
    const h = setup(5, hpaFor({ maxReplicas: 3 }));
    await h.sync();
    expect(h.replicas$()).toBe(3);
    expect(h.events()).toEqual(['SuccessfulRescale: New size: 3; reason: Current number of replicas above Spec.MaxReplicas']);
  });

  it('reports missing metrics in ScalingActive and leaves the target alone', async () => {
    const h = setup(2);
    await h.sync();
    expect(h.replicas$()).toBe(2);
    expect(h.cond('ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    expect(h.events()[0]).toMatch(/^FailedGetResourceMetric: did not receive metrics/);
  });

  it('reports a missing target in AbleToScale', async () => {
    const h = setup(2, hpaFor({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' } }));
    await h.sync();
    expect(h.cond('AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedGetScale' });
  });

  it('AverageValue targets on memory', async () => {
    const h = setup(2, hpaFor({ metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '5Mi' } } }] }));
    await h.setLoad(10); // every pod uses 10Mi
    await h.sync();
    expect(h.replicas$()).toBe(4);
    expect(h.status$().currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '10485760' } } }]); // DecimalSI milli-quantity, as Kubernetes reports it
  });

  it('spec.behavior limits the scale-up rate per period', async () => {
    const h = setup(2, hpaFor({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } }));
    await h.setLoad(400);
    await h.sync();
    expect(h.replicas$()).toBe(3);
    expect(h.cond('ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit' });
    await h.clock.advance(30_000);
    await h.sync(); // same period: the +1 is used up (the fake scale has 3 replicas but only 2 pods with metrics)
    expect(h.replicas$()).toBe(3);
    await h.clock.advance(31_000);
    await h.sync();
    expect(h.replicas$()).toBe(4);
  });

  it('does not scale down on the usable metrics while another one is unusable', async () => {
    const h = setup(4, hpaFor({
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 50 } } }, // no memory requests: unusable
      ],
    }));
    await h.setLoad(5);
    await h.sync();
    expect(h.replicas$()).toBe(4);
    expect(h.cond('ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric', message: expect.stringContaining('missing request for memory') });
  });
});
