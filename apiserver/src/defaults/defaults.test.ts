import { describe, it, expect, afterEach } from 'vitest';
import type { Deployment, HorizontalPodAutoscaler, Namespace, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet, ReplicationController, Secret, Service, StorageClass } from '@mk8s/shared';
import {
  carryOverServiceAllocations,
  defaultDeployment,
  defaultHorizontalPodAutoscaler,
  defaultNamespace,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultPod,
  defaultPodTemplateSpec,
  defaultPullPolicy,
  defaultReplicaSet,
  defaultReplicationController,
  defaultSecret,
  defaultService,
  defaultStorageClass,
  podQOSClass,
  setDefaultTolerationSeconds,
} from './index.js';

const newPod = (): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'd' },
  spec: {
    containers: [
      {
        name: 'c',
        image: 'nginx:1.25',
        ports: [{ containerPort: 80 }],
        resources: { limits: { cpu: '500m', memory: '128Mi' } },
        livenessProbe: { httpGet: { port: 80 } },
      },
    ],
    volumes: [{ name: 's', secret: { secretName: 'x' } }],
  },
});

describe('pod defaults', () => {
  afterEach(() => setDefaultTolerationSeconds(300));

  it.each<[string, (p: Pod) => unknown, unknown]>([
    ['restartPolicy', (p) => p.spec.restartPolicy, 'Always'],
    ['dnsPolicy', (p) => p.spec.dnsPolicy, 'ClusterFirst'],
    ['terminationGracePeriodSeconds', (p) => p.spec.terminationGracePeriodSeconds, 30],
    ['schedulerName', (p) => p.spec.schedulerName, 'default-scheduler'],
    ['enableServiceLinks', (p) => p.spec.enableServiceLinks, true],
    ['priority', (p) => p.spec.priority, 0],
    ['imagePullPolicy', (p) => p.spec.containers[0]?.imagePullPolicy, 'IfNotPresent'],
    ['terminationMessagePath', (p) => p.spec.containers[0]?.terminationMessagePath, '/dev/termination-log'],
    ['terminationMessagePolicy', (p) => p.spec.containers[0]?.terminationMessagePolicy, 'File'],
    ['port protocol', (p) => p.spec.containers[0]?.ports?.[0]?.protocol, 'TCP'],
    ['requests from limits', (p) => p.spec.containers[0]?.resources?.requests, { cpu: '500m', memory: '128Mi' }],
    [
      'probe defaults',
      (p) => p.spec.containers[0]?.livenessProbe,
      { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    ],
    ['secret defaultMode', (p) => p.spec.volumes?.[0]?.secret?.defaultMode, 420],
    [
      'default tolerations',
      (p) => p.spec.tolerations,
      [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    ],
    ['initial status', (p) => p.status, { phase: 'Pending', qosClass: 'Guaranteed' }],
  ])('%s', (_name, get, want) => {
    const p = newPod();
    defaultPod(p);
    expect(get(p)).toEqual(want);
  });

  it('hostNetwork pods get hostPort = containerPort', () => {
    const p = newPod();
    p.spec.hostNetwork = true;
    defaultPod(p);
    expect(p.spec.containers[0]?.ports?.[0]?.hostPort).toBe(80);
  });

  it('is idempotent', () => {
    const once = newPod();
    defaultPod(once);
    const twice = structuredClone(once);
    defaultPod(twice);
    expect(twice).toEqual(once);
  });

  it('keeps values already set', () => {
    const p = newPod();
    p.spec.restartPolicy = 'Never';
    p.spec.terminationGracePeriodSeconds = 0;
    p.spec.containers[0]!.imagePullPolicy = 'Never';
    p.spec.containers[0]!.resources = { requests: { cpu: '100m' }, limits: { cpu: '1' } };
    defaultPod(p);
    expect(p.spec.restartPolicy).toBe('Never');
    expect(p.spec.terminationGracePeriodSeconds).toBe(0);
    expect(p.spec.containers[0]!.imagePullPolicy).toBe('Never');
    expect(p.spec.containers[0]!.resources!.requests).toEqual({ cpu: '100m' });
  });

  it.each<[string, Pod['spec']['tolerations'], number]>([
    ['none present', undefined, 2],
    ['not-ready present', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }], 2],
    ['wildcard toleration covers both', [{ operator: 'Exists' }], 1],
    ['NoSchedule toleration does not count', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }], 3],
  ])('tolerations: %s', (_name, tolerations, count) => {
    const p = newPod();
    p.spec.tolerations = tolerations;
    defaultPod(p);
    expect(p.spec.tolerations).toHaveLength(count);
  });

  it('takes the toleration seconds from the setter', () => {
    setDefaultTolerationSeconds(42);
    const p = newPod();
    defaultPod(p);
    expect(p.spec.tolerations?.map((t) => t.tolerationSeconds)).toEqual([42, 42]);
    expect(() => setDefaultTolerationSeconds(-1)).toThrow();
  });

  it('templates get spec defaults but no tolerations', () => {
    const t = { metadata: { labels: { a: 'b' } }, spec: newPod().spec };
    defaultPodTemplateSpec(t);
    expect(t.spec.restartPolicy).toBe('Always');
    expect(t.spec.tolerations).toBeUndefined();
  });

  it.each<[string | undefined, string]>([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    ['app@sha256:abcd', 'IfNotPresent'],
    [undefined, 'Always'],
  ])('pull policy for %s is %s', (image, want) => {
    expect(defaultPullPolicy(image)).toBe(want);
  });

  it.each<[string, Pod['spec']['containers'][number]['resources'], string]>([
    ['no resources', undefined, 'BestEffort'],
    ['limits equal requests', { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } }, 'Guaranteed'],
    ['only requests', { requests: { cpu: '100m' } }, 'Burstable'],
    ['cpu limit only', { limits: { cpu: '1' } }, 'Burstable'],
  ])('QoS: %s', (_name, resources, want) => {
    const p = newPod();
    p.spec.containers[0]!.resources = resources;
    expect(podQOSClass(p.spec)).toBe(want);
  });
});

describe('service defaults', () => {
  const newSvc = (): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'd' }, spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] } });
  it('fills type, affinity, protocol and targetPort', () => {
    const s = newSvc();
    defaultService(s);
    expect(s.spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 53, protocol: 'UDP', targetPort: 'dns' },
      ],
    });
  });

  it('NodePort gets externalTrafficPolicy; ClientIP gets a timeout', () => {
    const s = newSvc();
    s.spec.type = 'NodePort';
    s.spec.sessionAffinity = 'ClientIP';
    defaultService(s);
    expect(s.spec.externalTrafficPolicy).toBe('Cluster');
    expect(s.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });

  it('carries the allocated clusterIP and nodePorts over an update that omits them', () => {
    const old = newSvc();
    old.spec.type = 'NodePort';
    old.spec.clusterIP = '10.96.0.5';
    old.spec.clusterIPs = ['10.96.0.5'];
    old.spec.ports![0]!.nodePort = 30001;
    const s = newSvc();
    s.spec.type = 'NodePort';
    carryOverServiceAllocations(s, old);
    expect(s.spec.clusterIP).toBe('10.96.0.5');
    expect(s.spec.clusterIPs).toEqual(['10.96.0.5']);
    expect(s.spec.ports![0]!.nodePort).toBe(30001);
  });
});

describe('workload defaults', () => {
  const template = () => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });

  it('ReplicationController: replicas, selector and labels from the template', () => {
    const rc: ReplicationController = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'r', namespace: 'd' }, spec: { template: template() } };
    defaultReplicationController(rc);
    expect(rc.spec.replicas).toBe(1);
    expect(rc.spec.selector).toEqual({ app: 'web' });
    expect(rc.metadata.labels).toEqual({ app: 'web' });
    expect(rc.spec.template?.spec.dnsPolicy).toBe('ClusterFirst');
  });

  it('ReplicaSet: replicas', () => {
    const rs: ReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'd' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } };
    defaultReplicaSet(rs);
    expect(rs.spec.replicas).toBe(1);
    expect(rs.spec.template?.spec.containers[0]?.imagePullPolicy).toBe('Always');
  });

  it.each<[string, Deployment['spec']['strategy'], Deployment['spec']['strategy']]>([
    ['none', undefined, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }],
    ['partial', { rollingUpdate: { maxSurge: 1 } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } }],
    ['Recreate', { type: 'Recreate' }, { type: 'Recreate' }],
  ])('Deployment strategy: %s', (_name, strategy, want) => {
    const d: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'd' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template(), strategy } };
    defaultDeployment(d);
    expect(d.spec.strategy).toEqual(want);
    expect([d.spec.replicas, d.spec.revisionHistoryLimit, d.spec.progressDeadlineSeconds]).toEqual([1, 10, 600]);
  });

  it('HPA: minReplicas and the default CPU metric', () => {
    const h: HorizontalPodAutoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h', namespace: 'd' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    };
    defaultHorizontalPodAutoscaler(h);
    expect(h.spec.minReplicas).toBe(1);
    expect(h.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(h.spec.behavior?.scaleDown).toEqual({ stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
    expect(h.spec.behavior?.scaleUp?.stabilizationWindowSeconds).toBe(0);
  });
});

describe('misc defaults', () => {
  it('Namespace: finalizer, phase and name label', () => {
    const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } };
    defaultNamespace(ns);
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
  });

  it('Namespace: keeps Terminating', () => {
    const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' }, status: { phase: 'Terminating' } };
    defaultNamespace(ns);
    expect(ns.status?.phase).toBe('Terminating');
  });

  it('Secret: stringData folded into data as base64, wins over data, and removed', () => {
    const s: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'd' }, data: { a: 'eA==', b: 'eQ==' }, stringData: { b: 'héllo', c: 'z' } };
    defaultSecret(s);
    expect(s).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'd' },
      type: 'Opaque',
      data: { a: 'eA==', b: Buffer.from('héllo').toString('base64'), c: 'eg==' },
    });
  });

  it('PV and PVC: reclaim policy, volume mode, Pending phase', () => {
    const pv: PersistentVolume = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: {} };
    const pvc: PersistentVolumeClaim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'd' }, spec: {} };
    defaultPersistentVolume(pv);
    defaultPersistentVolumeClaim(pvc);
    expect([pv.spec.persistentVolumeReclaimPolicy, pv.spec.volumeMode, pv.status?.phase]).toEqual(['Retain', 'Filesystem', 'Pending']);
    expect([pvc.spec.volumeMode, pvc.status?.phase]).toEqual(['Filesystem', 'Pending']);
  });

  it('StorageClass: Delete and Immediate', () => {
    const sc: StorageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'sc' }, provisioner: 'x.io/y' };
    defaultStorageClass(sc);
    expect([sc.reclaimPolicy, sc.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
  });
});
