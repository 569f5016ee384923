import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type HorizontalPodAutoscaler, type ReplicaSet } from '@mk8s/shared';
import { newReplicaSet, waitFor } from '@mk8s/shared/testing';
import { startClusterWithControllers, type ClusterWithControllers } from './cluster.js';

let c: ClusterWithControllers;
beforeAll(async () => {
  c = await startClusterWithControllers(['--horizontal-pod-autoscaler-sync-period', '1s']);
});
afterAll(async () => {
  await c?.stop();
});

const logs = () => c.cm.logs().slice(-5000);

describe('horizontal pod autoscaler (e2e)', () => {
  it('brings a ReplicaSet above maxReplicas down through the scale subresource and reports status', async () => {
    const rsApi = c.cp.client.resource<ReplicaSet>(RESOURCES.replicasets);
    const rs = newReplicaSet('busy', { replicas: 5 });
    delete rs.metadata.uid;
    delete rs.metadata.creationTimestamp;
    delete rs.status;
    rs.spec.template!.spec.containers[0]!.resources = { requests: { cpu: '100m' } };
    await rsApi.create(rs);
    const hpaApi = c.cp.client.resource<HorizontalPodAutoscaler>(RESOURCES.horizontalpodautoscalers);
    await hpaApi.create({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'busy', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'busy' },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    });
    await waitFor(async () => (await rsApi.get('default', 'busy')).spec.replicas === 3, { message: () => `replicaset was never scaled to 3: ${logs()}` });
    const hpa = await waitFor(async () => {
      const h = await hpaApi.get('default', 'busy');
      return h.status?.desiredReplicas === 3 && h.status.lastScaleTime ? h : undefined;
    }, { message: () => `HPA status never showed the rescale: ${logs()}` });
    expect(hpa.status?.conditions?.find((x) => x.type === 'AbleToScale')?.status).toBe('True');
    // within range now: the next syncs read metrics.k8s.io, which has no samples without kubelets
    const inactive = await waitFor(async () => {
      const h = await hpaApi.get('default', 'busy');
      return h.status?.conditions?.find((x) => x.type === 'ScalingActive' && x.status === 'False');
    }, { message: () => `ScalingActive never turned False: ${logs()}` });
    expect(inactive.reason).toBe('FailedGetResourceMetric');
    expect((await rsApi.get('default', 'busy')).spec.replicas).toBe(3);
  });
});
