/**
 * End-to-end: Deployment rollouts by the compiled controller-manager against a real apiserver,
 * driven and inspected with stock kubectl (set image, rollout status/history/undo/restart). No
 * kubelet: a loop in the test plays one, marking one pod Ready at a time, while a pod watch
 * checks that availability never drops below replicas - maxUnavailable and the pod count never
 * exceeds replicas + maxSurge.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES, type Deployment, type Pod, type ReplicaSet, type WatchHandle } from '@mk8s/shared';
import { waitFor } from '@mk8s/shared/testing';
import { kubectl, podApi, setPodReady, setup, teardown, type Env } from './helpers.js';

let env: Env | undefined;
let stopKubelet: (() => Promise<void>) | undefined;
let watch: WatchHandle | undefined;
afterEach(async () => {
  watch?.stop();
  await stopKubelet?.();
  stopKubelet = undefined;
  await teardown(env);
  env = undefined;
});

const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Plays a kubelet: every `everyMs`, marks one not-ready pod (oldest first) Running and Ready. */
function fakeKubelet(e: Env, everyMs = 250): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, everyMs));
      try {
        const { items } = await podApi(e.client).list('default');
        const next = items.filter((p) => !p.metadata.deletionTimestamp && !isReady(p)).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''))[0];
        if (next) await setPodReady(e.client, next, true);
      } catch {
        // a pod deleted under us; try again next round
      }
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

function deployment(name: string, replicas: number): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'mk8s/busybox:1', command: ['sleep', '3600'] }] } },
    },
  };
}

const images = (pods: Pod[]) => [...new Set(pods.map((p) => p.spec.containers[0]?.image))].sort();

describe('deployment controller (real apiserver, stock kubectl)', () => {
  it('rolls out within maxSurge/maxUnavailable; rollout status, history, undo and restart work', async () => {
    env = await setup();
    const e = env;
    const dApi = e.client.resource<Deployment>(RESOURCES.deployments);
    stopKubelet = fakeKubelet(e);
    await dApi.create(deployment('web', 4));
    expect(await kubectl(e, ['rollout', 'status', 'deployment/web', '--timeout=60s'])).toMatch(/successfully rolled out/);

    // watch pods: the worst availability and the largest pod count during the rollouts
    const pods = new Map<string, Pod>();
    let minReady = Infinity;
    let maxPods = 0;
    watch = podApi(e.client).watch('default', { labelSelector: 'app=web' }, (ev) => {
      if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') return;
      if (ev.type === 'DELETED' || ev.object.metadata.deletionTimestamp) pods.delete(ev.object.metadata.name!);
      else pods.set(ev.object.metadata.name!, ev.object);
      const all = [...pods.values()];
      minReady = Math.min(minReady, all.filter(isReady).length);
      maxPods = Math.max(maxPods, all.length);
    });
    await waitFor(() => pods.size === 4 && [...pods.values()].every(isReady));
    minReady = 4; // the watch's initial ADDED events arrive one by one: count from here
    maxPods = 4;

    await kubectl(e, ['annotate', 'deployment/web', 'kubernetes.io/change-cause=image 2']);
    await kubectl(e, ['set', 'image', 'deployment/web', 'main=mk8s/busybox:2']);
    expect(await kubectl(e, ['rollout', 'status', 'deployment/web', '--timeout=90s'])).toMatch(/successfully rolled out/);
    await waitFor(() => pods.size === 4 && images([...pods.values()]).join() === 'mk8s/busybox:2');
    expect(minReady).toBeGreaterThanOrEqual(3); // replicas - maxUnavailable
    expect(maxPods).toBeLessThanOrEqual(5); // replicas + maxSurge

    const history = await kubectl(e, ['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s+image 2/m);

    await kubectl(e, ['rollout', 'undo', 'deployment/web']);
    expect(await kubectl(e, ['rollout', 'status', 'deployment/web', '--timeout=90s'])).toMatch(/successfully rolled out/);
    await waitFor(() => pods.size === 4 && images([...pods.values()]).join() === 'mk8s/busybox:1');
    const d = await dApi.get('default', 'web');
    expect(d.spec.template.spec.containers[0]?.image).toBe('mk8s/busybox:1');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    const rss = (await e.client.resource<ReplicaSet>(RESOURCES.replicasets).list('default')).items;
    expect(rss).toHaveLength(2); // the undo reused the first ReplicaSet
    expect(await kubectl(e, ['rollout', 'history', 'deployment/web'])).toMatch(/^3\s/m);

    await kubectl(e, ['rollout', 'restart', 'deployment/web']);
    expect(await kubectl(e, ['rollout', 'status', 'deployment/web', '--timeout=90s'])).toMatch(/successfully rolled out/);
    await waitFor(async () => (await dApi.get('default', 'web')).metadata.annotations?.['deployment.kubernetes.io/revision'] === '4');
    expect(minReady).toBeGreaterThanOrEqual(3);
    expect(maxPods).toBeLessThanOrEqual(5);
    const final = await dApi.get('default', 'web');
    expect(final.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4, observedGeneration: final.metadata.generation });
    expect(final.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('scales a deployment with kubectl scale', async () => {
    env = await setup();
    const e = env;
    stopKubelet = fakeKubelet(e, 100);
    await e.client.resource<Deployment>(RESOURCES.deployments).create(deployment('api', 2));
    expect(await kubectl(e, ['rollout', 'status', 'deployment/api', '--timeout=60s'])).toMatch(/successfully rolled out/);
    await kubectl(e, ['scale', 'deployment/api', '--replicas=5']);
    await waitFor(async () => (await podApi(e.client).list('default', { labelSelector: 'app=api' })).items.length === 5, { message: () => e.cm.logs().slice(-3000) });
    expect(await kubectl(e, ['rollout', 'status', 'deployment/api', '--timeout=60s'])).toMatch(/successfully rolled out/);
    await kubectl(e, ['scale', 'deployment/api', '--replicas=1']);
    await waitFor(async () => (await podApi(e.client).list('default', { labelSelector: 'app=api' })).items.length === 1);
  });
});
