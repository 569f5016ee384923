/**
 * Self-healing, failover and autoscaling on a whole cluster with real Docker: two kubelets
 * as two nodes on this machine's Docker daemon, the scheduler and the controller-manager.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Deployment, type HorizontalPodAutoscaler, type Pod, type ReplicationController } from '@mk8s/shared';
import { kubectlBinary, startCluster, waitFor, type TestCluster } from '@mk8s/shared/testing';

const KUBECTL = kubectlBinary('1.32');
let c: TestCluster;

beforeAll(async () => {
  c = await startCluster({ id: 150, nodes: 2 });
});
afterAll(async () => {
  await c?.stop();
});

const pods = () => c.cp.client.resource<Pod>(RESOURCES.pods);
const running = async (selector: string, ns = 'default') =>
  (await pods().list(ns, { labelSelector: selector })).items.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);

function rc(name: string, replicas: number): ReplicationController {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { app: name },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'mk8s/busybox:1', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
      },
    },
  };
}

describe('self-healing on real Docker', () => {
  it('an RC of 3 keeps 3 running through a pod deletion and a docker kill, and scales', async () => {
    const rcs = c.cp.client.resource<ReplicationController>(RESOURCES.replicationcontrollers);
    await rcs.create(rc('heal', 3));
    await waitFor(async () => (await running('app=heal')).length === 3, { timeoutMs: 60_000, message: 'never had 3 running' });

    const victim = (await running('app=heal'))[0]!;
    await pods().delete('default', victim.metadata.name!);
    await waitFor(async () => {
      const r = await running('app=heal');
      return r.length === 3 && !r.some((p) => p.metadata.name === victim.metadata.name);
    }, { timeoutMs: 60_000, message: 'no replacement for the deleted pod' });

    const target = (await running('app=heal'))[0]!;
    const ids = execFileSync('docker', ['ps', '-q', '--filter', `label=io.kubernetes.pod.uid=${target.metadata.uid}`, '--filter', 'label=io.kubernetes.docker.type=container'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(ids).toHaveLength(1);
    execFileSync('docker', ['kill', ids[0]!]);
    await waitFor(async () => {
      const p = await pods().get('default', target.metadata.name!);
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && p.status?.phase === 'Running' && (await running('app=heal')).length === 3;
    }, { timeoutMs: 60_000, message: 'the killed container was not restarted' });

    execFileSync(KUBECTL, ['--kubeconfig', c.cp.kubeconfigFor('admin'), 'scale', 'rc', 'heal', '--replicas=5']);
    await waitFor(async () => (await running('app=heal')).length === 5, { timeoutMs: 60_000, message: 'never scaled to 5' });
    await rcs.patch('default', 'heal', { spec: { replicas: 0 } });
    await waitFor(async () => (await pods().list('default', { labelSelector: 'app=heal' })).items.length === 0, { timeoutMs: 60_000, message: 'never scaled to 0' });
  });

  it("a stopped kubelet's pods come back on the other node", async () => {
    const rcs = c.cp.client.resource<ReplicationController>(RESOURCES.replicationcontrollers);
    await rcs.create(rc('failover', 4));
    await waitFor(async () => (await running('app=failover')).length === 4, { timeoutMs: 60_000, message: 'never had 4 running' });
    const [a, b] = c.nodes;
    const onB = (await running('app=failover')).filter((p) => p.spec.nodeName === b!.name);
    expect(onB.length).toBeGreaterThan(0);
    await b!.process.kill9();
    // grace 4 s + toleration 3 s, plus a margin for the machine being busy
    await waitFor(async () => {
      const r = await running('app=failover');
      return r.length === 4 && r.every((p) => p.spec.nodeName === a!.name);
    }, { timeoutMs: 90_000, message: 'pods did not move to the healthy node' });
    await b!.restart();
    await waitFor(async () => {
      const n = await c.cp.client.request<{ spec?: { taints?: { key: string }[] } }>('GET', `/api/v1/nodes/${b!.name}`);
      return !(n.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable');
    }, { timeoutMs: 60_000, message: 'the unreachable taint stayed after the kubelet came back' });
    await rcs.delete('default', 'failover');
  });
});

describe('a node that stops answering and comes back', () => {
  it('its pods are marked not ready while it is silent, and the kubelet sets them ready again when it resumes', async () => {
    const a = c.nodes[0]!;
    const readyOf = async () => (await pods().get('default', 'paused')).status?.conditions?.find((x) => x.type === 'Ready')?.status;
    await pods().create({
      metadata: { name: 'paused', namespace: 'default' },
      spec: {
        nodeName: a.name,
        terminationGracePeriodSeconds: 1,
        // stays bound through the outage instead of being evicted
        tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }],
        containers: [{ name: 'main', image: 'mk8s/busybox:1', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
      },
    });
    await waitFor(async () => (await readyOf()) === 'True', { timeoutMs: 60_000, message: 'the pod never became ready' });
    a.process.child.kill('SIGSTOP');
    try {
      await waitFor(async () => (await readyOf()) === 'False', { timeoutMs: 60_000, message: 'the pod was not marked not ready' });
    } finally {
      a.process.child.kill('SIGCONT');
    }
    await waitFor(async () => (await readyOf()) === 'True', { timeoutMs: 60_000, message: 'the kubelet left the pod not ready after resuming' });
    await pods().delete('default', 'paused');
  });
});

describe('horizontal pod autoscaling on real CPU load', () => {
  it('scales a CPU-burning deployment up, and down when the load stops', async () => {
    const burnSeconds = 45;
    const deploy: Deployment = {
      metadata: { name: 'burn', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'burn' } },
        template: {
          metadata: { labels: { app: 'burn' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{
              name: 'main',
              image: 'mk8s/busybox:1',
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '-c', `end=$(( $(date +%s) + ${burnSeconds} )); while [ $(date +%s) -lt $end ]; do :; done; exec sleep 3600`],
              resources: { requests: { cpu: '100m' }, limits: { cpu: '500m' } },
            }],
          },
        },
      },
    };
    await c.cp.client.resource<Deployment>(RESOURCES.deployments).create(deploy);
    const hpas = c.cp.client.resource<HorizontalPodAutoscaler>(RESOURCES.horizontalpodautoscalers);
    await hpas.create({
      metadata: { name: 'burn', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'burn' },
        minReplicas: 1,
        maxReplicas: 3,
        // A busy loop uses far more than 30% of 100m even when the machine is loaded.
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 30 } } }],
      },
    });
    await waitFor(async () => ((await hpas.get('default', 'burn')).status?.desiredReplicas ?? 0) > 1, {
      timeoutMs: 90_000,
      message: 'the autoscaler never asked for more replicas',
    });
    await waitFor(async () => (await running('app=burn')).length > 1, { timeoutMs: 60_000, message: 'the deployment never grew' });
    const top = execFileSync(KUBECTL, ['--kubeconfig', c.cp.kubeconfigFor('admin'), 'top', 'pods', '-l', 'app=burn'], { encoding: 'utf8' });
    expect(top).toMatch(/NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    expect(top).toMatch(/burn-\S+\s+\d+m\s+\d+Mi/);
    const topNodes = execFileSync(KUBECTL, ['--kubeconfig', c.cp.kubeconfigFor('admin'), 'top', 'nodes'], { encoding: 'utf8' });
    expect(topNodes).toContain(c.nodes[0]!.name);
    await waitFor(async () => (await hpas.get('default', 'burn')).status?.desiredReplicas === 1, {
      timeoutMs: 150_000,
      message: 'never scaled back down after the load stopped',
    });
    await waitFor(async () => (await running('app=burn')).length === 1, { timeoutMs: 60_000, message: 'pods were not removed after scale-down' });
  });
});
