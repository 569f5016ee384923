import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, RESOURCES, type ConfigMap, type Namespace, type ServiceAccount } from '@mk8s/shared';
import { spawnComponent, startControlPlane, waitFor, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';

/**
 * The serviceaccount and root-ca-cert-publisher controllers against a real control plane (etcd +
 * apiserver, service account tokens off) and the compiled controller-manager with --root-ca-file.
 */
let cp: TestControlPlane;
let cm: ManagedProcess;
beforeAll(async () => {
  cp = await startControlPlane();
  cm = spawnComponent(
    'controller-manager',
    ['--kubeconfig', cp.kubeconfigFor('controller-manager'), '--ops-port', '0', '--no-leader-elect', '--root-ca-file', join(cp.dir, 'pki', 'ca.crt')],
    { env: { LOG_LEVEL: process.env.MK8S_TEST_LOG_LEVEL ?? 'info' } },
  );
});
afterAll(async () => {
  await cm?.stop();
  await cp?.stop();
});

const logs = () => cm.logs().slice(-5000);
const nsApi = () => cp.client.resource<Namespace>(RESOURCES.namespaces);
const saApi = () => cp.client.resource<ServiceAccount>(RESOURCES.serviceaccounts);
const cmApi = () => cp.client.resource<ConfigMap>(RESOURCES.configmaps);

async function getOrUndefined<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

const defaultSA = (ns: string) => getOrUndefined(() => saApi().get(ns, 'default'));
const rootCA = (ns: string) => getOrUndefined(() => cmApi().get(ns, 'kube-root-ca.crt'));

/** Waits for a kube-root-ca.crt in `ns` that holds exactly the CA, other than `previous` (by uid). */
async function publishedCA(ns: string, previousUid?: string): Promise<ConfigMap> {
  return waitFor(
    async () => {
      const c = await rootCA(ns);
      const ok = c && JSON.stringify(c.data) === JSON.stringify({ 'ca.crt': cp.caPem });
      return ok && (!previousUid || c.metadata.uid !== previousUid) ? c : undefined;
    },
    { timeoutMs: 30_000, message: () => `kube-root-ca.crt in ${ns} never held the CA: ${logs()}` },
  );
}

describe('service account controllers (e2e)', () => {
  it('the namespaces that exist at start get both objects', async () => {
    for (const ns of ['default', 'kube-system']) {
      await waitFor(() => defaultSA(ns), { timeoutMs: 30_000, message: () => `no default ServiceAccount in ${ns}: ${logs()}` });
      await publishedCA(ns);
    }
  });

  it('a new namespace gets them, they come back when deleted or edited, and the namespace still deletes', async () => {
    await nsApi().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const sa = await waitFor(() => defaultSA('team'), { timeoutMs: 30_000, message: () => `no default ServiceAccount: ${logs()}` });
    const ca = await publishedCA('team');
    expect(ca.metadata.annotations?.['kubernetes.io/description']).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/);

    await saApi().delete('team', 'default');
    await waitFor(async () => ((await defaultSA('team'))?.metadata.uid ?? sa.metadata.uid) !== sa.metadata.uid, {
      timeoutMs: 30_000,
      message: () => `default ServiceAccount not re-created: ${logs()}`,
    });

    await cmApi().delete('team', 'kube-root-ca.crt');
    const recreated = await publishedCA('team', ca.metadata.uid);

    await cmApi().update({ ...recreated, data: { 'ca.crt': 'not the CA', extra: 'x' } });
    const restored = await publishedCA('team');
    expect(restored.metadata.uid).toBe(recreated.metadata.uid);

    await nsApi().delete(undefined, 'team');
    await waitFor(async () => (await getOrUndefined(() => nsApi().get(undefined, 'team'))) === undefined, {
      timeoutMs: 30_000,
      message: () => `namespace team never went away: ${logs()}`,
    });
    expect((await saApi().list('team')).items).toEqual([]);
    expect((await cmApi().list('team')).items).toEqual([]);
  });
});
