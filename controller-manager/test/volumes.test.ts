/**
 * End-to-end: PersistentVolumes and claims on a whole cluster (etcd, apiserver, scheduler,
 * controller-manager, two kubelets on Docker). The default `local-path` class provisions a
 * node-pinned directory for a claim, pods using the claim land on that node, data written by
 * one pod is read by the next, Delete reclaim removes the directory and Retain keeps it;
 * static volumes bind by size/class/selector; unsatisfiable claims stay Pending with a reason.
 * Also stock kubectl 1.32: create namespace/configmap/secret/deployment, get pv,pvc,sc, describe pv/pvc.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RESOURCES,
  type ConfigMap,
  type KubeObject,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Pod,
  type Secret,
  type StorageClass,
} from '@mk8s/shared';
import { kubectlBinary, startCluster, waitFor, type TestCluster } from '@mk8s/shared/testing';

const ID = 160;
const BUSYBOX = 'mk8s/busybox:1';
let cluster: TestCluster;
let base: string;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'mk8s-local-path-'));
  cluster = await startCluster({ id: ID, nodes: 2, controllerManagerArgs: ['--local-path-base', base] });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

const client = () => cluster.cp.client;
const pvcs = () => client().resource<PersistentVolumeClaim>(RESOURCES.persistentvolumeclaims);
const pvs = () => client().resource<PersistentVolume>(RESOURCES.persistentvolumes);
const pods = () => client().resource<Pod>(RESOURCES.pods);
const logs = (): string => cluster.controllerManager.logs().slice(-3000);

function claim(name: string, size: string, extra: Partial<PersistentVolumeClaim['spec']> = {}): PersistentVolumeClaim {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...extra } };
}

function claimPod(name: string, claimName: string, script: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
  };
}

const waitBound = (name: string): Promise<PersistentVolumeClaim> =>
  waitFor(
    async () => {
      const c = await pvcs().get('default', name);
      return c.status?.phase === 'Bound' ? c : undefined;
    },
    { timeoutMs: 30_000, message: () => `claim ${name} not bound\n${logs()}` },
  );

const waitPhase = (name: string, phase: string, timeoutMs = 60_000): Promise<Pod> => {
  let last: Pod | undefined;
  return waitFor(
    async () => {
      last = await pods().get('default', name);
      return last.status?.phase === phase ? last : undefined;
    },
    { timeoutMs, message: () => `pod ${name} not ${phase}: ${JSON.stringify(last?.status)}` },
  );
};

async function deletePod(name: string): Promise<void> {
  await pods().delete('default', name, { gracePeriodSeconds: 0 });
  await waitFor(async () => (await pods().list('default')).items.every((p) => p.metadata.name !== name), { timeoutMs: 30_000, message: `pod ${name} not gone` });
}

async function eventsFor(obj: KubeObject): Promise<Array<{ reason?: string; message?: string }>> {
  const list = await client().request<{ items: Array<{ reason?: string; message?: string; involvedObject?: { name?: string } }> }>('GET', `/api/v1/namespaces/${obj.metadata.namespace ?? 'default'}/events`);
  return list.items.filter((e) => e.involvedObject?.name === obj.metadata.name);
}

const pinnedNode = (pv: PersistentVolume): string | undefined => pv.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values?.[0];

describe('local-path provisioner', () => {
  it('creates the default StorageClass', async () => {
    const sc = await waitFor(() => client().resource<StorageClass>(RESOURCES.storageclasses).get(undefined, 'local-path').catch(() => undefined), { timeoutMs: 20_000 });
    expect(sc.provisioner).toBe('mk8s.io/local-path');
    expect(sc.reclaimPolicy).toBe('Delete');
    expect(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']).toBe('true');
  });

  it('provisions a claim, keeps data across pods on the volume node, and Delete removes the directory', async () => {
    await pvcs().create(claim('lp-data', '64Mi'));
    const bound = await waitBound('lp-data');
    expect(bound.spec.storageClassName).toBe('local-path');
    const pv = await pvs().get(undefined, bound.spec.volumeName ?? '');
    expect(pv.metadata.name).toBe(`pvc-${bound.metadata.uid}`);
    expect(pv.status?.phase).toBe('Bound');
    expect(pv.spec.claimRef?.uid).toBe(bound.metadata.uid);
    expect(pv.spec.hostPath?.path).toBe(join(base, pv.metadata.name ?? ''));
    const node = pinnedNode(pv);
    expect(cluster.nodes.map((n) => n.name)).toContain(node);

    await pods().create(claimPod('lp-writer', 'lp-data', 'echo persisted > /data/f'));
    const writer = await waitPhase('lp-writer', 'Succeeded');
    expect(writer.spec.nodeName).toBe(node);
    expect(readFileSync(join(pv.spec.hostPath?.path ?? '', 'f'), 'utf8')).toBe('persisted\n');
    await deletePod('lp-writer');

    await pods().create(claimPod('lp-reader', 'lp-data', 'test "$(cat /data/f)" = persisted'));
    const reader = await waitPhase('lp-reader', 'Succeeded');
    expect(reader.spec.nodeName).toBe(node);
    await deletePod('lp-reader');

    await pvcs().delete('default', 'lp-data');
    await waitFor(async () => (await pvs().list()).items.every((v) => v.metadata.name !== pv.metadata.name), { timeoutMs: 60_000, message: () => `volume not deleted\n${logs()}` });
    expect(existsSync(pv.spec.hostPath?.path ?? '/nonexistent-x')).toBe(false);
  });

  it('Retain keeps a released volume and its directory', async () => {
    await client().resource<StorageClass>(RESOURCES.storageclasses).create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'local-retain' },
      provisioner: 'mk8s.io/local-path',
      reclaimPolicy: 'Retain',
    });
    await pvcs().create(claim('lp-keep', '32Mi', { storageClassName: 'local-retain' }));
    const bound = await waitBound('lp-keep');
    const pv = await pvs().get(undefined, bound.spec.volumeName ?? '');
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Retain');
    await pods().create(claimPod('lp-keep-writer', 'lp-keep', 'echo kept > /data/f'));
    await waitPhase('lp-keep-writer', 'Succeeded');
    await deletePod('lp-keep-writer');
    await pvcs().delete('default', 'lp-keep');
    const released = await waitFor(
      async () => {
        const v = await pvs().get(undefined, pv.metadata.name ?? '');
        return v.status?.phase === 'Released' ? v : undefined;
      },
      { timeoutMs: 30_000, message: () => `volume not Released\n${logs()}` },
    );
    expect(released.spec.claimRef?.name).toBe('lp-keep');
    expect(readFileSync(join(pv.spec.hostPath?.path ?? '', 'f'), 'utf8')).toBe('kept\n');
    await pvs().delete(undefined, pv.metadata.name ?? '');
  });
});

describe('binding static volumes', () => {
  const staticPv = (name: string, size: string, labels: Record<string, string> = {}): PersistentVolume => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: join(base, name), type: 'DirectoryOrCreate' } },
  });

  it('binds the smallest fitting volume and honours the selector', async () => {
    await pvs().create(staticPv('st-small', '1Gi'));
    await pvs().create(staticPv('st-big', '5Gi'));
    await pvs().create(staticPv('st-gold', '10Gi', { tier: 'gold' }));
    await pvcs().create(claim('st-claim', '2Gi', { storageClassName: 'manual' }));
    await pvcs().create(claim('st-gold-claim', '1Gi', { storageClassName: 'manual', selector: { matchLabels: { tier: 'gold' } } }));
    expect((await waitBound('st-claim')).spec.volumeName).toBe('st-big');
    const gold = await waitBound('st-gold-claim');
    expect(gold.spec.volumeName).toBe('st-gold');
    expect(gold.status?.capacity).toEqual({ storage: '10Gi' });
    expect((await pvs().get(undefined, 'st-small')).status?.phase).toBe('Available');
  });

  it('keeps an unsatisfiable claim Pending with a reason, and its pod unschedulable', async () => {
    const c = await pvcs().create(claim('st-huge', '100Gi', { storageClassName: 'manual' }));
    const ev = await waitFor(async () => (await eventsFor(c)).find((e) => e.reason === 'FailedBinding' || e.reason === 'ProvisioningFailed'), { timeoutMs: 30_000, message: () => `no event\n${logs()}` });
    expect(ev.message).toBeTruthy();
    expect((await pvcs().get('default', 'st-huge')).status?.phase).toBe('Pending');
    const noClass = await pvcs().create(claim('st-no-class', '1Mi', { storageClassName: 'nonexistent' }));
    const ev2 = await waitFor(async () => (await eventsFor(noClass)).find((e) => e.reason === 'ProvisioningFailed'), { timeoutMs: 30_000 });
    expect(ev2.message).toContain('storageclass.storage.k8s.io "nonexistent" not found');

    await pods().create(claimPod('st-waiting', 'st-huge', 'true'));
    const p = await waitFor(
      async () => {
        const x = await pods().get('default', 'st-waiting');
        return x.status?.conditions?.find((cd) => cd.type === 'PodScheduled' && cd.status === 'False') ? x : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(p.status?.conditions?.find((cd) => cd.type === 'PodScheduled')?.message).toContain('pod has unbound immediate PersistentVolumeClaims');
    expect(p.spec.nodeName).toBeUndefined();
    await pods().delete('default', 'st-waiting', { gracePeriodSeconds: 0 });
  });
});

describe('stock kubectl 1.32', () => {
  const kubectl = (...args: string[]): string => {
    return execFileSync(kubectlBinary('1.32'), ['--kubeconfig', cluster.cp.kubeconfigFor('admin'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };

  it('creates a namespace, configmap, secret and deployment, and lists pv,pvc', async () => {
    expect(kubectl('create', 'namespace', 'kc-store')).toContain('namespace/kc-store created');
    expect(kubectl('create', 'configmap', 'kc-cm', '-n', 'kc-store', '--from-literal=color=blue', '--from-literal=size=L')).toContain('configmap/kc-cm created');
    expect(kubectl('create', 'secret', 'generic', 'kc-secret', '-n', 'kc-store', '--from-literal=password=s3cret')).toContain('secret/kc-secret created');
    expect(kubectl('create', 'deployment', 'kc-web', '-n', 'kc-store', `--image=${BUSYBOX}`, '--', 'sleep', '3600')).toContain('deployment.apps/kc-web created');
    const cm = await client().resource<ConfigMap>(RESOURCES.configmaps).get('kc-store', 'kc-cm');
    expect(cm.data).toEqual({ color: 'blue', size: 'L' });
    const secret = await client().resource<Secret>(RESOURCES.secrets).get('kc-store', 'kc-secret');
    expect(secret.data).toEqual({ password: Buffer.from('s3cret').toString('base64') });
    expect(secret.type).toBe('Opaque');

    await pvcs().create({ ...claim('kc-claim', '16Mi'), metadata: { name: 'kc-claim', namespace: 'kc-store' } });
    const bound = await waitFor(async () => {
      const c = await pvcs().get('kc-store', 'kc-claim');
      return c.status?.phase === 'Bound' ? c : undefined;
    }, { timeoutMs: 30_000 });
    const out = kubectl('get', 'pv,pvc', '-n', 'kc-store');
    expect(out).toMatch(new RegExp(`persistentvolume/${bound.spec.volumeName}\\s+16Mi\\s+RWO\\s+Delete\\s+Bound\\s+kc-store/kc-claim\\s+local-path`));
    expect(out).toMatch(new RegExp(`persistentvolumeclaim/kc-claim\\s+Bound\\s+${bound.spec.volumeName}\\s+16Mi\\s+RWO\\s+local-path`));
    expect(kubectl('get', 'storageclass')).toMatch(/local-path \(default\)\s+mk8s.io\/local-path\s+Delete\s+Immediate/);
    const pvcText = kubectl('describe', 'pvc', 'kc-claim', '-n', 'kc-store');
    expect(pvcText).toMatch(/Status:\s+Bound/);
    expect(pvcText).toMatch(new RegExp(`Volume:\\s+${bound.spec.volumeName}`));
    const pvText = kubectl('describe', 'pv', bound.spec.volumeName ?? '');
    expect(pvText).toMatch(/Claim:\s+kc-store\/kc-claim/);
    expect(pvText).toMatch(/Type:\s+HostPath/);
    kubectl('delete', 'namespace', 'kc-store', '--wait=false');
  });
});
