/**
 * The apiserver and its clients across restarts: /readyz follows etcd, the server serves
 * again once etcd is back, and a watch broken by an apiserver restart resumes from its
 * last resourceVersion without losing events.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Informer, RESOURCES, type ConfigMap } from '@mk8s/shared';
import { startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp?.stop();
});

function status(path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get(`${cp.url}${path}`, { ca: cp.caPem, timeout: 15_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

describe('restarts', () => {
  it('is not ready while etcd is down, and serves again when it is back', async () => {
    expect(await status('/readyz')).toBe(200);
    await cp.etcd.kill();
    await waitFor(async () => (await status('/readyz')) === 503, { timeoutMs: 30_000, message: 'readyz never went 503' });
    expect(await status('/livez')).toBe(200);
    await cp.etcd.restart();
    await waitFor(async () => (await status('/readyz')) === 200, { timeoutMs: 30_000, message: 'readyz never came back' });
    const cms = cp.client.resource<ConfigMap>(RESOURCES.configmaps);
    await waitFor(async () => (await cms.create({ metadata: { name: `after-etcd-${Date.now()}`, namespace: 'default' } })).metadata.uid, {
      timeoutMs: 30_000,
      message: 'writes never worked again after the etcd restart',
    });
  });

  it('an informer resumes across an apiserver restart and sees every change', async () => {
    const cms = cp.client.resource<ConfigMap>(RESOURCES.configmaps);
    const informer = new Informer<ConfigMap>(cms, { namespace: 'default', labelSelector: 'resume=yes' });
    const seen = new Set<string>();
    informer.addHandlers({ onAdd: (o) => seen.add(o.metadata.name!), onUpdate: (_o, n) => seen.add(n.metadata.name!) });
    informer.start();
    await informer.waitForSync();
    await cms.create({ metadata: { name: 'before', namespace: 'default', labels: { resume: 'yes' } } });
    await waitFor(() => seen.has('before'));
    await cp.restartApiserver();
    await cms.create({ metadata: { name: 'after', namespace: 'default', labels: { resume: 'yes' } } });
    await waitFor(() => seen.has('after'), { timeoutMs: 30_000, message: 'the informer never saw the change made after the restart' });
    expect(informer.list().map((o) => o.metadata.name).sort()).toEqual(['after', 'before']);
    await informer.stop();
  });
});
