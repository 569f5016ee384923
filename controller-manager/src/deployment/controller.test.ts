import { EventRecorder, RESOURCES, silentLogger, type Deployment, type Pod, type ReplicaSet } from '@mk8s/shared';
import { FakeClient, FakeClock, newDeployment } from '@mk8s/shared/testing';
import { describe, expect, it } from 'vitest';
import { MapLister } from '../util/map-lister.js';
import { DeploymentController } from './controller.js';
import { computeHash } from './hash.js';
import { CHANGE_CAUSE, DESIRED_REPLICAS, MAX_REPLICAS, POD_TEMPLATE_HASH, REVISION, REVISION_HISTORY } from './rs-util.js';

/**
 * A deployment controller driven step by step against a FakeClient, with a stand-in for the
 * ReplicaSet controller: `settle` makes every ReplicaSet's status match its spec, with
 * `available(rs)` deciding how many of its pods count as available.
 */
async function harness(d: Deployment) {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  const dApi = client.resource<Deployment>(RESOURCES.deployments);
  const rsApi = client.resource<ReplicaSet>(RESOURCES.replicasets);
  await dApi.create(d);
  const deployments = new MapLister<Deployment>();
  const replicaSets = new MapLister<ReplicaSet>();
  const enqueued: { key: string; after?: number }[] = [];
  const c = new DeploymentController({
    deployments,
    replicaSets,
    pods: new MapLister<Pod>(),
    deploymentApi: dApi,
    rsApi,
    recorder: new EventRecorder({ client, component: 'test', clock }),
    logger: silentLogger(),
    enqueue: (key, after) => enqueued.push({ key, after }),
    clock,
  });
  const refresh = async () => {
    for (const o of deployments.list()) deployments.remove(o);
    for (const o of replicaSets.list()) replicaSets.remove(o);
    for (const o of (await dApi.list('default')).items) deployments.set(o);
    for (const o of (await rsApi.list('default')).items) replicaSets.set(o);
  };
  const key = `default/${d.metadata.name ?? ''}`;
  const sync = async () => {
    await refresh();
    await c.sync(key);
    await refresh();
  };
  let available: (rs: ReplicaSet) => number = (rs) => rs.spec.replicas ?? 0;
  const settle = async () => {
    for (const rs of (await rsApi.list('default')).items) {
      const n = rs.spec.replicas ?? 0;
      const a = Math.min(n, available(rs));
      await rsApi.updateStatus({ ...rs, status: { replicas: n, readyReplicas: a, availableReplicas: a, observedGeneration: rs.metadata.generation ?? 0 } });
    }
  };
  const rss = async () => (await rsApi.list('default')).items;
  const get = () => dApi.get('default', d.metadata.name ?? '');
  const setTemplate = async (image: string, annotations?: Record<string, string>) => {
    const cur = await get();
    await dApi.update({ ...cur, metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, ...annotations } }, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { ...cur.spec.template.spec, containers: [{ name: 'main', image }] } } } });
  };
  return { client, clock, c, dApi, rsApi, sync, settle, rss, get, setTemplate, enqueued, setAvailable: (f: typeof available) => (available = f) };
}

const imageOf = (rs: ReplicaSet) => rs.spec.template?.spec.containers[0]?.image;

describe('deployment controller', () => {
  it('creates the first ReplicaSet named by the template hash, at full size, revision 1', async () => {
    const h = await harness(newDeployment('web', { replicas: 3, image: 'app:1', annotations: { [CHANGE_CAUSE]: 'first' } }));
    await h.sync();
    const [rs] = await h.rss();
    const hash = rs!.metadata.labels?.[POD_TEMPLATE_HASH];
    expect(hash).toBeTruthy();
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.spec.selector.matchLabels).toEqual({ app: 'web', [POD_TEMPLATE_HASH]: hash });
    expect(rs!.spec.template?.metadata?.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH]: hash });
    expect(rs!.spec.replicas).toBe(3);
    expect(rs!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    expect(rs!.metadata.annotations).toMatchObject({ [REVISION]: '1', [DESIRED_REPLICAS]: '3', [MAX_REPLICAS]: '4', [CHANGE_CAUSE]: 'first' });
    const d = await h.get();
    expect(d.metadata.annotations?.[REVISION]).toBe('1');
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated' });
  });

  it('reports a finished rollout: counts, Available and NewReplicaSetAvailable', async () => {
    const h = await harness(newDeployment('web', { replicas: 3 }));
    await h.sync();
    await h.settle();
    await h.sync();
    const d = await h.get();
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it.each([
    // replicas, maxSurge, maxUnavailable
    [10, '25%', '25%'],
    [4, 1, 0],
    [4, 0, 1],
    [5, 2, 2],
    [3, '50%', '0%'],
  ])('a rolling update of %d (surge %j, unavailable %j) stays within both bounds and completes', async (replicas, surge, unavailable) => {
    const h = await harness(newDeployment('web', { replicas, image: 'app:1', strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } }));
    for (let i = 0; i < 3; i++) (await h.sync(), await h.settle());
    await h.setTemplate('app:2');
    const surgeN = typeof surge === 'number' ? surge : Math.ceil((Number(surge.slice(0, -1)) * replicas) / 100);
    let unavailN = typeof unavailable === 'number' ? unavailable : Math.floor((Number(unavailable.slice(0, -1)) * replicas) / 100);
    if (surgeN === 0 && unavailN === 0) unavailN = 1;
    let steps = 0;
    for (; steps < 50; steps++) {
      await h.sync();
      const rss = await h.rss();
      const total = rss.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
      const availableNow = rss.reduce((n, rs) => n + Math.min(rs.spec.replicas ?? 0, rs.status?.availableReplicas ?? 0), 0);
      expect(total).toBeLessThanOrEqual(replicas + surgeN);
      expect(availableNow).toBeGreaterThanOrEqual(replicas - unavailN);
      await h.settle();
      const d = await h.get();
      if (d.status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable') && d.status.updatedReplicas === replicas && d.status.replicas === replicas) break;
    }
    expect(steps).toBeLessThan(50);
    const rss = await h.rss();
    expect(rss.find((rs) => imageOf(rs) === 'app:2')?.spec.replicas).toBe(replicas);
    expect(rss.find((rs) => imageOf(rs) === 'app:1')?.spec.replicas).toBe(0);
  });

  it('new pods that never become available stop the rollout at maxUnavailable', async () => {
    const h = await harness(newDeployment('web', { replicas: 4, image: 'app:1', strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    for (let i = 0; i < 3; i++) (await h.sync(), await h.settle());
    await h.setTemplate('app:broken');
    h.setAvailable((rs) => (imageOf(rs) === 'app:broken' ? 0 : (rs.spec.replicas ?? 0)));
    for (let i = 0; i < 10; i++) (await h.sync(), await h.settle());
    const rss = await h.rss();
    expect(rss.find((rs) => imageOf(rs) === 'app:1')?.spec.replicas).toBe(3);
    expect(rss.find((rs) => imageOf(rs) === 'app:broken')?.spec.replicas).toBe(2);
  });

  it('Recreate scales the old ReplicaSet to zero before creating the new one', async () => {
    const h = await harness(newDeployment('web', { replicas: 3, image: 'app:1', strategy: { type: 'Recreate' } }));
    await h.sync();
    await h.settle();
    await h.sync();
    await h.setTemplate('app:2');
    await h.sync();
    let rss = await h.rss();
    expect(rss).toHaveLength(1);
    expect(rss[0]!.spec.replicas).toBe(0);
    await h.sync(); // old status still reports 3 replicas: waits
    expect(await h.rss()).toHaveLength(1);
    await h.settle();
    await h.sync();
    rss = await h.rss();
    expect(rss.find((rs) => imageOf(rs) === 'app:2')?.spec.replicas).toBe(3);
  });

  it('revisions count up per template and a rollback gives the old ReplicaSet the next revision', async () => {
    const h = await harness(newDeployment('web', { replicas: 2, image: 'app:1' }));
    const roll = async () => {
      for (let i = 0; i < 10; i++) (await h.sync(), await h.settle());
    };
    await roll();
    await h.setTemplate('app:2', { [CHANGE_CAUSE]: 'to v2' });
    await roll();
    const byImage = async (img: string) => (await h.rss()).find((rs) => imageOf(rs) === img)!;
    expect((await byImage('app:1')).metadata.annotations?.[REVISION]).toBe('1');
    expect((await byImage('app:2')).metadata.annotations).toMatchObject({ [REVISION]: '2', [CHANGE_CAUSE]: 'to v2' });
    expect((await h.get()).metadata.annotations?.[REVISION]).toBe('2');
    await h.setTemplate('app:1');
    await roll();
    const v1 = await byImage('app:1');
    expect(v1.metadata.annotations).toMatchObject({ [REVISION]: '3', [REVISION_HISTORY]: '1' });
    expect(v1.spec.replicas).toBe(2);
    expect((await byImage('app:2')).spec.replicas).toBe(0);
    expect(await h.rss()).toHaveLength(2);
    expect((await h.get()).metadata.annotations?.[REVISION]).toBe('3');
  });

  it('revisionHistoryLimit deletes the oldest scaled-down ReplicaSets', async () => {
    const d = newDeployment('web', { replicas: 1, image: 'app:0' });
    d.spec.revisionHistoryLimit = 2;
    const h = await harness(d);
    for (let v = 1; v <= 4; v++) {
      await h.setTemplate(`app:${v}`);
      for (let i = 0; i < 8; i++) (await h.sync(), await h.settle());
    }
    const images = (await h.rss()).map(imageOf).sort();
    expect(images).toEqual(['app:2', 'app:3', 'app:4']);
  });

  it('a paused deployment does not roll out but still scales', async () => {
    const h = await harness(newDeployment('web', { replicas: 2, image: 'app:1' }));
    for (let i = 0; i < 3; i++) (await h.sync(), await h.settle());
    const cur = await h.get();
    await h.dApi.update({ ...cur, spec: { ...cur.spec, paused: true } });
    await h.setTemplate('app:2');
    await h.sync();
    expect((await h.get()).status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    expect((await h.rss()).map(imageOf)).toEqual(['app:1']);
    const paused = await h.get();
    await h.dApi.update({ ...paused, spec: { ...paused.spec, replicas: 5 } });
    await h.sync();
    const rss = await h.rss();
    expect(rss).toHaveLength(1);
    expect(rss[0]!.spec.replicas).toBe(5);
    expect(rss[0]!.metadata.annotations?.[DESIRED_REPLICAS]).toBe('5');
  });

  it('scaling during a rollout spreads replicas proportionally', async () => {
    const h = await harness(newDeployment('web', { replicas: 10, image: 'app:1', strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    for (let i = 0; i < 3; i++) (await h.sync(), await h.settle());
    await h.setTemplate('app:2');
    h.setAvailable((rs) => (imageOf(rs) === 'app:2' ? 0 : (rs.spec.replicas ?? 0)));
    for (let i = 0; i < 4; i++) (await h.sync(), await h.settle());
    let rss = await h.rss();
    const before = rss.map((rs) => [imageOf(rs), rs.spec.replicas]);
    expect(before).toEqual(expect.arrayContaining([['app:1', 8], ['app:2', 5]]));
    const cur = await h.get();
    await h.dApi.update({ ...cur, spec: { ...cur.spec, replicas: 20 } });
    await h.sync();
    rss = await h.rss();
    const total = rss.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
    expect(total).toBe(20 + 3); // desired + maxSurge
    const v1 = rss.find((rs) => imageOf(rs) === 'app:1')!.spec.replicas!;
    const v2 = rss.find((rs) => imageOf(rs) === 'app:2')!.spec.replicas!;
    expect(v1).toBeGreaterThan(8);
    expect(v2).toBeGreaterThan(5);
  });

  it('reports ProgressDeadlineExceeded when no progress is made in time', async () => {
    const d = newDeployment('web', { replicas: 2, image: 'app:1' });
    d.spec.progressDeadlineSeconds = 30;
    const h = await harness(d);
    h.setAvailable(() => 0);
    for (let i = 0; i < 3; i++) (await h.sync(), await h.settle());
    expect(h.enqueued.some((e) => e.after !== undefined && e.after > 0)).toBe(true);
    await h.clock.advance(31_000);
    await h.sync();
    expect((await h.get()).status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });

  it('adopts an orphan ReplicaSet whose template matches instead of creating another', async () => {
    const h = await harness(newDeployment('web', { replicas: 2, image: 'app:1' }));
    await h.sync();
    const [rs] = await h.rss();
    await h.rsApi.patch('default', rs!.metadata.name!, { metadata: { ownerReferences: null } }, 'merge');
    await h.sync();
    const rss = await h.rss();
    expect(rss).toHaveLength(1);
    expect(rss[0]!.metadata.ownerReferences?.[0]?.kind).toBe('Deployment');
  });

  it('a foreign ReplicaSet holding the hash name bumps collisionCount, and the next sync uses a new name', async () => {
    const d = newDeployment('web', { replicas: 1, image: 'app:1' });
    const h = await harness(d);
    const taken = `web-${computeHash(d.spec.template)}`;
    await h.rsApi.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: taken, namespace: 'default', labels: { other: 'x' } }, spec: { replicas: 0, selector: { matchLabels: { other: 'x' } }, template: { metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } } });
    await expect(h.sync()).rejects.toThrow(/collision/);
    expect((await h.get()).status?.collisionCount).toBe(1);
    await h.sync();
    const ours = (await h.rss()).filter((rs) => rs.metadata.ownerReferences?.[0]?.kind === 'Deployment');
    expect(ours).toHaveLength(1);
    expect(ours[0]!.metadata.name).toBe(`web-${computeHash(d.spec.template, 1)}`);
  });
});
