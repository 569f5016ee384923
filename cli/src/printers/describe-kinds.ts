/**
 * Per-kind describers: what `mkctl describe` shows for pods, nodes, deployments, replica
 * sets, replication controllers, services, config maps, secrets (sizes only, never
 * values) and namespaces; anything else gets a generic description. Each takes the object
 * plus the related data the command fetched (events, pods on a node) and returns text. Pure.
 */
import type {
  ConfigMap, ContainerState, ContainerStatus, Deployment, Endpoints, Event, KubeObject, Lease, Namespace, Node, PersistentVolume,
  PersistentVolumeClaim, Pod, ReplicaSet,
  ReplicationController, Secret, Service,
} from '@mk8s/shared';
import {
  controlledBy, describeAnnotations, describeConditions, describeContainer, describeContainerTail, describeEvents, describeGenericBody,
  describeMeta, describePodTemplate, describeTolerations, describeVolumes, DescribeWriter, formatTime, sortedEntries,
} from './describe.js';
import { describeNodeInto, type NodeDescribeInput } from './describe-node.js';
import { describePersistentVolume, describePersistentVolumeClaim } from './describe-storage.js';

export interface DescribeInput {
  obj: KubeObject;
  kind: string;
  namespaced: boolean;
  events?: Event[];
  /** for nodes: the non-terminated pods bound to it */
  podsOnNode?: Pod[];
  /** for nodes: the node's Lease, or why it could not be read */
  lease?: Lease | string;
  /** for persistent volume claims: names of the pods using it */
  usedBy?: string[];
  /** for services: its Endpoints object */
  endpoints?: Endpoints;
  now: Date;
}

export function describeObject(input: DescribeInput): string {
  const w = new DescribeWriter();
  const describer = DESCRIBERS[input.kind] ?? describeGeneric;
  describer(w, input);
  if (!NO_EVENTS.has(input.kind)) describeEvents(w, input.events, input.now);
  return w.toString();
}

type Describer = (w: DescribeWriter, input: DescribeInput) => void;

/** kinds kubectl describes without an Events section */
const NO_EVENTS = new Set(['Secret', 'Namespace']);

const describeGeneric: Describer = (w, { obj, namespaced }) => {
  describeMeta(w, obj.metadata, { namespaced });
  w.field(0, 'API Version', obj.apiVersion);
  w.field(0, 'Kind', obj.kind);
  describeGenericBody(w, obj);
};

function stateLines(w: DescribeWriter, level: number, title: string, s: ContainerState | undefined): void {
  if (s?.running) {
    w.field(level, title, 'Running');
    w.field(level + 1, 'Started', formatTime(s.running.startedAt));
  } else if (s?.waiting) {
    w.field(level, title, 'Waiting');
    w.field(level + 1, 'Reason', s.waiting.reason);
    if (s.waiting.message) w.field(level + 1, 'Message', s.waiting.message);
  } else if (s?.terminated) {
    w.field(level, title, 'Terminated');
    w.field(level + 1, 'Reason', s.terminated.reason);
    if (s.terminated.message) w.field(level + 1, 'Message', s.terminated.message);
    w.field(level + 1, 'Exit Code', s.terminated.exitCode);
    if (s.terminated.signal) w.field(level + 1, 'Signal', s.terminated.signal);
    w.field(level + 1, 'Started', formatTime(s.terminated.startedAt));
    w.field(level + 1, 'Finished', formatTime(s.terminated.finishedAt));
  } else if (title === 'State') {
    w.field(level, title, 'Waiting');
  }
}

function qosClass(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const cs = pod.spec.containers;
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = cs.every((c) => ['cpu', 'memory'].every((r) => c.resources?.limits?.[r] && (c.resources.requests?.[r] ?? c.resources.limits[r]) === c.resources.limits[r]));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const describePod: Describer = (w, { obj }) => {
  const pod = obj as Pod;
  const m = pod.metadata;
  w.field(0, 'Name', m.name);
  w.field(0, 'Namespace', m.namespace);
  w.field(0, 'Priority', pod.spec.priority ?? 0);
  if (pod.spec.serviceAccountName) w.field(0, 'Service Account', pod.spec.serviceAccountName);
  w.field(0, 'Node', pod.spec.nodeName ? `${pod.spec.nodeName}/${pod.status?.hostIP ?? ''}` : undefined);
  if (pod.status?.startTime) w.field(0, 'Start Time', formatTime(pod.status.startTime));
  w.multi(0, 'Labels', sortedEntries(m.labels).map(([k, v]) => `${k}=${v}`));
  describeAnnotations(w, m.annotations);
  if (m.deletionTimestamp) {
    w.field(0, 'Status', `Terminating (lasts ${m.deletionGracePeriodSeconds ?? 0}s)`);
    w.field(0, 'Termination Grace Period', `${pod.spec.terminationGracePeriodSeconds ?? 30}s`);
  } else w.field(0, 'Status', pod.status?.phase);
  if (pod.status?.reason) w.field(0, 'Reason', pod.status.reason);
  if (pod.status?.message) w.field(0, 'Message', pod.status.message);
  w.line(0, 'IP:', pod.status?.podIP ?? '');
  const ips = pod.status?.podIPs ?? [];
  if (ips.length === 0) w.field(0, 'IPs', undefined);
  else {
    w.line(0, 'IPs:');
    for (const ip of ips) w.field(1, 'IP', ip.ip);
  }
  const owner = controlledBy(m);
  if (owner) w.field(0, 'Controlled By', owner);
  const statuses = new Map<string, ContainerStatus>();
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) statuses.set(s.name, s);
  for (const [title, list] of [
    ['Init Containers', pod.spec.initContainers],
    ['Containers', pod.spec.containers],
  ] as const) {
    if (!list?.length) continue;
    w.line(0, `${title}:`);
    for (const c of list) {
      const st = statuses.get(c.name);
      describeContainer(w, 1, c);
      if (st?.containerID) w.field(2, 'Container ID', st.containerID);
      if (st?.imageID) w.field(2, 'Image ID', st.imageID);
      if (st) {
        stateLines(w, 2, 'State', st.state);
        if (st.lastState && Object.keys(st.lastState).length) stateLines(w, 2, 'Last State', st.lastState);
        w.field(2, 'Ready', st.ready ? 'True' : 'False');
        w.field(2, 'Restart Count', st.restartCount ?? 0);
      }
      describeContainerTail(w, 2, c, pod);
    }
  }
  describeConditions(w, pod.status?.conditions, false);
  describeVolumes(w, 0, pod.spec.volumes);
  w.field(0, 'QoS Class', qosClass(pod));
  w.multi(0, 'Node-Selectors', sortedEntries(pod.spec.nodeSelector).map(([k, v]) => `${k}=${v}`));
  w.multi(0, 'Tolerations', describeTolerations(pod.spec.tolerations));
};

const describeNode: Describer = (w, { obj, podsOnNode, lease, now }) => {
  const input: NodeDescribeInput = { node: obj as Node, now };
  if (podsOnNode) input.podsOnNode = podsOnNode;
  if (lease) input.lease = lease;
  describeNodeInto(w, input);
};

const replicaLine = (spec: number | undefined, status: { replicas?: number; readyReplicas?: number; availableReplicas?: number } | undefined): string =>
  `${status?.replicas ?? 0} current / ${spec ?? 1} desired`;

const describeDeployment: Describer = (w, { obj }) => {
  const d = obj as Deployment;
  describeMeta(w, d.metadata, { namespaced: true, created: true });
  w.field(0, 'Selector', selectorString(d.spec.selector.matchLabels));
  const s = d.status;
  w.field(0, 'Replicas', `${d.spec.replicas ?? 1} desired | ${s?.updatedReplicas ?? 0} updated | ${s?.replicas ?? 0} total | ${s?.availableReplicas ?? 0} available | ${s?.unavailableReplicas ?? 0} unavailable`);
  w.field(0, 'StrategyType', d.spec.strategy?.type ?? 'RollingUpdate');
  w.field(0, 'MinReadySeconds', d.spec.minReadySeconds ?? 0);
  if ((d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const ru = d.spec.strategy?.rollingUpdate;
    w.field(0, 'RollingUpdateStrategy', `${ru?.maxUnavailable ?? '25%'} max unavailable, ${ru?.maxSurge ?? '25%'} max surge`);
  }
  describePodTemplate(w, d.spec.template);
  describeConditions(w, s?.conditions, true);
};

const describeReplicaSet: Describer = (w, { obj }) => {
  const rs = obj as ReplicaSet;
  describeMetaWithSelector(w, rs.metadata, selectorString(rs.spec.selector.matchLabels));
  const owner = controlledBy(rs.metadata);
  if (owner) w.field(0, 'Controlled By', owner);
  w.field(0, 'Replicas', replicaLine(rs.spec.replicas, rs.status));
  w.field(0, 'Pods Status', `${rs.status?.readyReplicas ?? 0} Running / 0 Waiting / 0 Succeeded / 0 Failed`);
  describePodTemplate(w, rs.spec.template);
  describeConditions(w, rs.status?.conditions, true);
};

const describeRC: Describer = (w, { obj }) => {
  const rc = obj as ReplicationController;
  describeMetaWithSelector(w, rc.metadata, selectorString(rc.spec.selector));
  w.field(0, 'Replicas', replicaLine(rc.spec.replicas, rc.status));
  w.field(0, 'Pods Status', `${rc.status?.readyReplicas ?? 0} Running / 0 Waiting / 0 Succeeded / 0 Failed`);
  describePodTemplate(w, rc.spec.template);
  describeConditions(w, rc.status?.conditions, true);
};

const describeService: Describer = (w, { obj, endpoints }) => {
  const svc = obj as Service;
  describeMeta(w, svc.metadata, { namespaced: true });
  w.field(0, 'Selector', selectorString(svc.spec.selector));
  w.field(0, 'Type', svc.spec.type ?? 'ClusterIP');
  w.field(0, 'IP Family Policy', svc.spec.ipFamilyPolicy);
  w.field(0, 'IP Families', svc.spec.ipFamilies?.join(','));
  w.field(0, 'IP', svc.spec.clusterIP);
  w.field(0, 'IPs', svc.spec.clusterIPs?.join(','));
  const addrs = (endpoints?.subsets ?? []).flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports ?? [{ port: 0 }]).map((p) => `${a.ip}:${p.port}`)));
  for (const p of svc.spec.ports ?? []) {
    const name = p.name ?? '<unset>';
    w.field(0, 'Port', `${name}  ${p.port}/${p.protocol ?? 'TCP'}`);
    w.field(0, 'TargetPort', `${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`);
    if (p.nodePort) w.field(0, 'NodePort', `${name}  ${p.nodePort}/${p.protocol ?? 'TCP'}`);
    w.field(0, 'Endpoints', addrs.join(','));
  }
  w.field(0, 'Session Affinity', svc.spec.sessionAffinity ?? 'None');
  if (svc.spec.externalTrafficPolicy) w.field(0, 'External Traffic Policy', svc.spec.externalTrafficPolicy);
  if (svc.spec.internalTrafficPolicy) w.field(0, 'Internal Traffic Policy', svc.spec.internalTrafficPolicy);
};

const describeConfigMap: Describer = (w, { obj }) => {
  const cm = obj as ConfigMap;
  describeMeta(w, cm.metadata, { namespaced: true });
  w.line(0, '');
  w.line(0, 'Data');
  w.line(0, '====');
  for (const [k, v] of sortedEntries(cm.data)) {
    w.line(0, `${k}:`);
    w.line(0, '----');
    for (const l of `${v}\n`.split('\n')) w.line(0, l);
  }
  w.line(0, '');
  w.line(0, 'BinaryData');
  w.line(0, '====');
  for (const [k, v] of sortedEntries(cm.binaryData)) w.line(0, `${k}: ${Buffer.from(v, 'base64').length} bytes`);
  w.line(0, '');
};

const describeSecret: Describer = (w, { obj }) => {
  const s = obj as Secret;
  describeMeta(w, s.metadata, { namespaced: true });
  w.line(0, '');
  w.field(0, 'Type', s.type ?? 'Opaque');
  w.line(0, '');
  w.line(0, 'Data');
  w.line(0, '====');
  for (const [k, v] of sortedEntries(s.data)) w.line(0, `${k}:`, `${Buffer.from(v, 'base64').length} bytes`);
};

const describeNamespace: Describer = (w, { obj }) => {
  const ns = obj as Namespace;
  describeMeta(w, ns.metadata, { namespaced: false });
  w.field(0, 'Status', ns.status?.phase ?? 'Active');
};

/** kubectl puts a replica set's selector between its namespace and its labels. */
function describeMetaWithSelector(w: DescribeWriter, meta: KubeObject['metadata'], selector: string | undefined): void {
  w.field(0, 'Name', meta.name);
  w.field(0, 'Namespace', meta.namespace);
  w.field(0, 'Selector', selector);
  w.multi(0, 'Labels', sortedEntries(meta.labels).map(([k, v]) => `${k}=${v}`));
  describeAnnotations(w, meta.annotations);
}

export function selectorString(m: Record<string, string> | undefined): string | undefined {
  const e = sortedEntries(m);
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}

const DESCRIBERS: Record<string, Describer> = {
  Pod: describePod,
  Node: describeNode,
  Deployment: describeDeployment,
  ReplicaSet: describeReplicaSet,
  ReplicationController: describeRC,
  Service: describeService,
  ConfigMap: describeConfigMap,
  Secret: describeSecret,
  Namespace: describeNamespace,
  PersistentVolume: (w, { obj }) => describePersistentVolume(w, obj as PersistentVolume),
  PersistentVolumeClaim: (w, { obj, usedBy }) => describePersistentVolumeClaim(w, obj as PersistentVolumeClaim, usedBy),
};
