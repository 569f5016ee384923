import { describe, expect, it } from 'vitest';
import {
  RESOURCES,
  silentLogger,
  type KubeObject,
  type Node,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Pod,
  type ResourceType,
  type StorageClass,
} from '@mk8s/shared';
import { FakeClient } from '@mk8s/shared/testing';
import { claimKey, PersistentVolumeController, volumeKey } from './controller.js';
import { defaultStorageClass, helperPodName } from './local-path.js';

const lister = <T extends KubeObject>(client: FakeClient, type: ResourceType) => ({
  get: (ns: string | undefined, name: string) => client.stored<T>(type, ns, name),
  list: (ns?: string) => client.all<T>(type).filter((o) => ns === undefined || o.metadata.namespace === ns),
});

const node = (name: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
const claim = (name: string, size: string, cls?: string): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...(cls !== undefined ? { storageClassName: cls } : {}) },
  status: { phase: 'Pending' },
});
const volume = (name: string, size: string, policy: 'Retain' | 'Delete' = 'Retain'): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', persistentVolumeReclaimPolicy: policy, hostPath: { path: `/v/${name}` } },
  status: { phase: 'Available' },
});

function setup(objs: [ResourceType, KubeObject][]) {
  const client = new FakeClient();
  for (const [t, o] of objs) client.seed(t, [o]);
  const events: string[] = [];
  const c = new PersistentVolumeController({
    claims: lister<PersistentVolumeClaim>(client, RESOURCES.persistentvolumeclaims),
    volumes: lister<PersistentVolume>(client, RESOURCES.persistentvolumes),
    classes: lister<StorageClass>(client, RESOURCES.storageclasses),
    nodes: lister<Node>(client, RESOURCES.nodes),
    pods: lister<Pod>(client, RESOURCES.pods),
    claimsApi: client.resource<PersistentVolumeClaim>(RESOURCES.persistentvolumeclaims),
    volumesApi: client.resource<PersistentVolume>(RESOURCES.persistentvolumes),
    podsApi: client.resource<Pod>(RESOURCES.pods),
    recorder: { event: (_o, type, reason, message) => events.push(`${type} ${reason} ${message}`) },
    logger: silentLogger(),
    localPathBase: '/lp',
    helperImage: 'img',
  });
  /** every key, a few rounds: what the informer handlers would do */
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 4; i++) {
      for (const pvc of client.all<PersistentVolumeClaim>(RESOURCES.persistentvolumeclaims)) await c.sync(claimKey(pvc.metadata.namespace, pvc.metadata.name ?? ''));
      for (const pv of client.all<PersistentVolume>(RESOURCES.persistentvolumes)) await c.sync(volumeKey(pv.metadata.name ?? ''));
    }
  };
  const pvc = (name: string) => client.stored<PersistentVolumeClaim>(RESOURCES.persistentvolumeclaims, 'default', name)!;
  const pv = (name: string) => client.stored<PersistentVolume>(RESOURCES.persistentvolumes, undefined, name);
  return { client, c, events, settle, pvc, pv };
}

describe('PersistentVolumeController', () => {
  it('binds a claim to the smallest fitting volume, both Bound', async () => {
    const { settle, pvc, pv } = setup([
      [RESOURCES.persistentvolumes, volume('big', '10Gi')],
      [RESOURCES.persistentvolumes, volume('mid', '3Gi')],
      [RESOURCES.persistentvolumeclaims, claim('data', '2Gi', 'manual')],
    ]);
    await settle();
    expect(pvc('data').spec.volumeName).toBe('mid');
    expect(pvc('data').status).toMatchObject({ phase: 'Bound', capacity: { storage: '3Gi' }, accessModes: ['ReadWriteOnce'] });
    expect(pv('mid')?.spec.claimRef).toMatchObject({ name: 'data', namespace: 'default', uid: pvc('data').metadata.uid });
    expect(pv('mid')?.status?.phase).toBe('Bound');
    expect(pv('big')?.status?.phase).toBe('Available');
  });

  it.each([
    { name: 'no class and no default', cls: '', classes: [], want: 'Normal FailedBinding no persistent volumes available for this claim and no storage class is set' },
    { name: 'unknown class', cls: 'gold', classes: [], want: 'Warning ProvisioningFailed storageclass.storage.k8s.io "gold" not found' },
    { name: 'local-path without nodes', cls: 'local-path', classes: [defaultStorageClass()], want: 'Warning ProvisioningFailed failed to provision volume with StorageClass "local-path": no Ready schedulable node' },
  ])('leaves a claim Pending with a reason: $name', async ({ cls, classes, want }) => {
    const { settle, pvc, events } = setup([[RESOURCES.persistentvolumeclaims, claim('data', '1Gi', cls)], ...classes.map((s): [ResourceType, KubeObject] => [RESOURCES.storageclasses, s])]);
    await settle();
    expect(pvc('data').status?.phase).toBe('Pending');
    expect(events).toContain(want);
  });

  it('provisions a local-path volume for a class-less claim (default class) and binds it', async () => {
    const { settle, pvc, pv, events } = setup([
      [RESOURCES.storageclasses, defaultStorageClass()],
      [RESOURCES.nodes, node('n1')],
      [RESOURCES.persistentvolumeclaims, claim('data', '1Gi')],
    ]);
    await settle();
    const c = pvc('data');
    expect(c.spec.storageClassName).toBe('local-path');
    expect(c.spec.volumeName).toBe(`pvc-${c.metadata.uid}`);
    expect(c.status?.phase).toBe('Bound');
    expect(pv(`pvc-${c.metadata.uid}`)?.spec.hostPath?.path).toBe(`/lp/pvc-${c.metadata.uid}`);
    expect(events.some((e) => e.startsWith('Normal ProvisioningSucceeded'))).toBe(true);
  });

  it('Retain: a volume whose claim is deleted is Released and kept', async () => {
    const { client, settle, pv } = setup([[RESOURCES.persistentvolumes, volume('keep', '1Gi')], [RESOURCES.persistentvolumeclaims, claim('data', '1Gi', 'manual')]]);
    await settle();
    await client.resource(RESOURCES.persistentvolumeclaims).delete('default', 'data');
    await settle();
    expect(pv('keep')?.status?.phase).toBe('Released');
  });

  it('Delete: a local-path volume is removed by a helper pod on its node, then deleted', async () => {
    const { client, settle, pv, pvc } = setup([
      [RESOURCES.storageclasses, defaultStorageClass()],
      [RESOURCES.nodes, node('n1')],
      [RESOURCES.persistentvolumeclaims, claim('data', '1Gi')],
    ]);
    await settle();
    const name = pvc('data').spec.volumeName ?? '';
    await client.resource(RESOURCES.persistentvolumeclaims).delete('default', 'data');
    await settle();
    expect(pv(name)?.status?.phase).toBe('Released');
    const helper = client.stored<Pod>(RESOURCES.pods, 'kube-system', helperPodName(pv(name)!))!;
    expect(helper.spec.nodeName).toBe('n1');
    expect(helper.spec.containers[0]?.command).toEqual(['rm', '-rf', `/data/${name}`]);
    expect(helper.spec.volumes?.[0]?.hostPath?.path).toBe('/lp');
    await client.resource<Pod>(RESOURCES.pods).updateStatus({ ...helper, status: { phase: 'Succeeded' } });
    await settle();
    expect(pv(name)).toBeUndefined();
    expect(client.stored<Pod>(RESOURCES.pods, 'kube-system', helper.metadata.name ?? '')).toBeUndefined();
  });

  it('Delete on a volume no provisioner owns fails the volume with a message', async () => {
    const { client, settle, pv } = setup([[RESOURCES.persistentvolumes, volume('static', '1Gi', 'Delete')], [RESOURCES.persistentvolumeclaims, claim('data', '1Gi', 'manual')]]);
    await settle();
    await client.resource(RESOURCES.persistentvolumeclaims).delete('default', 'data');
    await settle();
    expect(pv('static')?.status).toMatchObject({ phase: 'Failed', message: expect.stringContaining('no deletable volume plugin matched') });
  });
});
