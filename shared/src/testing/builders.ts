/**
 * Small builders for test objects with sensible defaults: a pod with one busybox container,
 * a Ready node with 4 CPUs / 8Gi, a ReplicaSet/Deployment selecting `app=<name>`, a ClusterIP
 * service on port 80. Each takes options for the fields tests usually vary; anything else can
 * be set on the returned object.
 */
import type { Deployment, ReplicaSet } from '../api/apps.js';
import type { Container, Namespace, Node, Pod, PodPhase, ResourceList, Service, ServicePort, Taint } from '../api/core.js';
import type { Condition, KubeObject, LabelSelector, ObjectMeta, OwnerReference } from '../api/meta.js';

export interface MetaOpts {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  generation?: number;
}

let uidSeq = 0;
const nextUid = (): string => `uid-${++uidSeq}`;

function meta(name: string, o: MetaOpts, namespaced: boolean): ObjectMeta {
  const m: ObjectMeta = { name, uid: o.uid ?? nextUid() };
  if (namespaced) m.namespace = o.namespace ?? 'default';
  if (o.labels) m.labels = { ...o.labels };
  if (o.annotations) m.annotations = { ...o.annotations };
  if (o.resourceVersion) m.resourceVersion = o.resourceVersion;
  if (o.ownerReferences) m.ownerReferences = o.ownerReferences;
  m.creationTimestamp = o.creationTimestamp ?? '2024-01-01T00:00:00Z';
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
  if (o.finalizers) m.finalizers = [...o.finalizers];
  if (o.generation !== undefined) m.generation = o.generation;
  return m;
}

/** A controller ownerReference pointing at `owner` (which must have kind, apiVersion, name, uid). */
export function ownerRefFor(owner: KubeObject, controller = true): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? 'v1',
    kind: owner.kind ?? '',
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller,
    blockOwnerDeletion: controller,
  };
}

export interface PodOpts extends MetaOpts {
  nodeName?: string;
  phase?: PodPhase;
  /** adds a Ready condition with this status (and the containers' ready flags) */
  ready?: boolean;
  image?: string;
  containers?: Container[];
  requests?: ResourceList;
  limits?: ResourceList;
  podIP?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  nodeSelector?: Record<string, string>;
}

export function newPod(name: string, o: PodOpts = {}): Pod {
  const container: Container = { name: 'main', image: o.image ?? 'busybox:latest', imagePullPolicy: 'IfNotPresent' };
  if (o.requests || o.limits) container.resources = { ...(o.requests ? { requests: o.requests } : {}), ...(o.limits ? { limits: o.limits } : {}) };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, o, true),
    spec: { containers: o.containers ?? [container], restartPolicy: o.restartPolicy ?? 'Always' },
    status: { phase: o.phase ?? 'Pending' },
  };
  if (o.nodeName) pod.spec.nodeName = o.nodeName;
  if (o.nodeSelector) pod.spec.nodeSelector = o.nodeSelector;
  if (o.podIP) pod.status!.podIP = o.podIP;
  if (o.ready !== undefined) {
    const status = o.ready ? 'True' : 'False';
    pod.status!.conditions = [{ type: 'Ready', status, lastTransitionTime: '2024-01-01T00:00:00Z' }];
    pod.status!.containerStatuses = pod.spec.containers.map((c) => ({
      name: c.name,
      ready: o.ready!,
      restartCount: 0,
      image: c.image ?? '',
      imageID: '',
      ...(o.phase === 'Running' || o.ready ? { state: { running: { startedAt: '2024-01-01T00:00:00Z' } } } : {}),
    }));
  }
  return pod;
}

export interface NodeOpts extends Omit<MetaOpts, 'namespace'> {
  ready?: boolean;
  capacity?: ResourceList;
  allocatable?: ResourceList;
  taints?: Taint[];
  unschedulable?: boolean;
  address?: string;
}

export function newNode(name: string, o: NodeOpts = {}): Node {
  const capacity = o.capacity ?? { cpu: '4', memory: '8Gi', pods: '110' };
  const ready: Condition = { type: 'Ready', status: (o.ready ?? true) ? 'True' : 'False', reason: (o.ready ?? true) ? 'KubeletReady' : 'KubeletNotReady' };
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(name, { ...o, labels: { 'kubernetes.io/hostname': name, ...o.labels } }, false),
    spec: {},
    status: {
      capacity,
      allocatable: o.allocatable ?? capacity,
      conditions: [ready],
      addresses: [{ type: 'InternalIP', address: o.address ?? '127.0.0.1' }, { type: 'Hostname', address: name }],
    },
  };
  if (o.taints) node.spec!.taints = o.taints;
  if (o.unschedulable) node.spec!.unschedulable = true;
  return node;
}

export interface WorkloadOpts extends MetaOpts {
  replicas?: number;
  /** matchLabels; default { app: name } */
  selector?: Record<string, string>;
  labelSelector?: LabelSelector;
  /** pod template labels; default the selector */
  templateLabels?: Record<string, string>;
  image?: string;
}

function template(name: string, o: WorkloadOpts) {
  const labels = o.templateLabels ?? o.selector ?? { app: name };
  return { metadata: { labels: { ...labels } }, spec: { containers: [{ name: 'main', image: o.image ?? 'busybox:latest' }], restartPolicy: 'Always' as const } };
}

export function newReplicaSet(name: string, o: WorkloadOpts = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta(name, { generation: 1, ...o }, true),
    spec: { replicas: o.replicas ?? 1, selector: o.labelSelector ?? { matchLabels: { ...(o.selector ?? { app: name }) } }, template: template(name, o) },
    status: { replicas: 0 },
  };
}

export function newDeployment(name: string, o: WorkloadOpts & { strategy?: Deployment['spec']['strategy'] } = {}): Deployment {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, { generation: 1, ...o }, true),
    spec: {
      replicas: o.replicas ?? 1,
      selector: o.labelSelector ?? { matchLabels: { ...(o.selector ?? { app: name }) } },
      template: template(name, o),
      strategy: o.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
  return d;
}

export interface ServiceOpts extends MetaOpts {
  selector?: Record<string, string>;
  ports?: ServicePort[];
  type?: Service['spec']['type'];
  clusterIP?: string;
}

export function newService(name: string, o: ServiceOpts = {}): Service {
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, o, true),
    spec: {
      type: o.type ?? 'ClusterIP',
      selector: o.selector ?? { app: name },
      ports: o.ports ?? [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }],
      sessionAffinity: 'None',
    },
  };
  if (o.clusterIP) svc.spec.clusterIP = o.clusterIP;
  return svc;
}

export function newNamespace(name: string, o: Omit<MetaOpts, 'namespace'> = {}): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, o, false), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}
