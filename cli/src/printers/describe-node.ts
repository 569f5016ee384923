/**
 * `describe node` as kubectl prints it: roles, lease, conditions, addresses, capacity,
 * system info, the non-terminated pods with their requests/limits as a share of the node's
 * allocatable, and the allocated-resources summary. Pure.
 */
import { addQuantities, formatQuantity, toBytes, toMilli, type Lease, type Node, type Pod, type ResourceList } from '@mk8s/shared';
import { describeAnnotations, DescribeWriter, formatTime, sortedEntries } from './describe.js';
import { humanDuration } from './age.js';

export interface NodeDescribeInput {
  node: Node;
  podsOnNode?: Pod[];
  /** the node's Lease, or why it could not be read */
  lease?: Lease | string;
  now: Date;
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';

export function nodeRoles(labels: Record<string, string> | undefined): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort().join(',') || '<none>';
}

type Kind = 'requests' | 'limits';

/** Sum of the containers' values for one resource, as a quantity string ("0" when none). */
export function podResource(pod: Pod, kind: Kind, resource: string): string {
  const vals = pod.spec.containers.map((c) => c.resources?.[kind]?.[resource]).filter((x): x is string => !!x);
  return vals.length ? formatQuantity(addQuantities(...vals)) : '0';
}

function percent(value: string, resource: string, allocatable: ResourceList | undefined): number {
  const total = allocatable?.[resource];
  if (!total) return 0;
  const [v, t] = resource === 'cpu' ? [toMilli(value), toMilli(total)] : [toBytes(value), toBytes(total)];
  return t > 0 ? Math.trunc((v / t) * 100) : 0;
}

const withPercent = (value: string, resource: string, alloc: ResourceList | undefined): string => `${value} (${percent(value, resource, alloc)}%)`;

export function describeNodeInto(w: DescribeWriter, { node, podsOnNode, lease, now }: NodeDescribeInput): void {
  const m = node.metadata;
  w.field(0, 'Name', m.name);
  w.line(0, 'Roles:', nodeRoles(m.labels));
  w.multi(0, 'Labels', sortedEntries(m.labels).map(([k, v]) => `${k}=${v}`));
  describeAnnotations(w, m.annotations);
  w.field(0, 'CreationTimestamp', formatTime(m.creationTimestamp));
  w.multi(0, 'Taints', (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`));
  w.field(0, 'Unschedulable', node.spec?.unschedulable ? 'true' : 'false');
  if (typeof lease === 'string') w.line(0, 'Lease:', `Failed to get lease: ${lease}`);
  else if (lease) {
    w.line(0, 'Lease:');
    w.line(1, 'HolderIdentity:', lease.spec.holderIdentity ?? '<unset>');
    w.line(1, 'AcquireTime:', formatTime(lease.spec.acquireTime) ?? '<unset>');
    w.line(1, 'RenewTime:', formatTime(lease.spec.renewTime) ?? '<unset>');
  }
  const conds = node.status?.conditions ?? [];
  if (conds.length) {
    w.line(0, 'Conditions:');
    w.line(1, 'Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message');
    w.line(1, '----', '------', '-----------------', '------------------', '------', '-------');
    for (const c of conds) {
      const cells = [c.type, c.status, formatTime(c.lastHeartbeatTime) ?? '', formatTime(c.lastTransitionTime) ?? '', c.reason ?? ''];
      w.line(1, ...cells.map((x) => `${x} `), c.message ?? '');
    }
  }
  w.line(0, 'Addresses:');
  for (const a of node.status?.addresses ?? []) w.field(1, a.type, a.address);
  for (const [title, list] of [
    ['Capacity', node.status?.capacity],
    ['Allocatable', node.status?.allocatable],
  ] as const) {
    if (!list) continue;
    w.line(0, `${title}:`);
    for (const [k, v] of sortedEntries(list)) w.field(1, k, v);
  }
  const info = node.status?.nodeInfo;
  if (info) {
    w.line(0, 'System Info:');
    const titles: [string, string][] = [
      ['machineID', 'Machine ID'], ['systemUUID', 'System UUID'], ['bootID', 'Boot ID'], ['kernelVersion', 'Kernel Version'],
      ['osImage', 'OS Image'], ['operatingSystem', 'Operating System'], ['architecture', 'Architecture'],
      ['containerRuntimeVersion', 'Container Runtime Version'], ['kubeletVersion', 'Kubelet Version'], ['kubeProxyVersion', 'Kube-Proxy Version'],
    ];
    for (const [k, title] of titles) w.line(1, `${title}:`, info[k] ?? '');
  }
  if (node.spec?.podCIDR) w.line(0, 'PodCIDR:', node.spec.podCIDR);
  if (node.spec?.podCIDRs?.length) w.line(0, 'PodCIDRs:', node.spec.podCIDRs.join(','));
  if (node.spec?.providerID) w.line(0, 'ProviderID:', node.spec.providerID);
  if (podsOnNode) describePodsOnNode(w, podsOnNode, node.status?.allocatable, now);
}

function describePodsOnNode(w: DescribeWriter, pods: Pod[], alloc: ResourceList | undefined, now: Date): void {
  w.line(0, 'Non-terminated Pods:', `(${pods.length} in total)`);
  w.line(1, 'Namespace', 'Name', '', 'CPU Requests', 'CPU Limits', 'Memory Requests', 'Memory Limits', 'Age');
  w.line(1, '---------', '----', '', '------------', '----------', '---------------', '-------------', '---');
  for (const p of pods) {
    const created = p.metadata.creationTimestamp ? new Date(p.metadata.creationTimestamp).getTime() : now.getTime();
    w.line(
      1,
      p.metadata.namespace ?? '',
      p.metadata.name ?? '',
      '',
      withPercent(podResource(p, 'requests', 'cpu'), 'cpu', alloc),
      withPercent(podResource(p, 'limits', 'cpu'), 'cpu', alloc),
      withPercent(podResource(p, 'requests', 'memory'), 'memory', alloc),
      withPercent(podResource(p, 'limits', 'memory'), 'memory', alloc),
      humanDuration(now.getTime() - created),
    );
  }
  w.line(0, 'Allocated resources:');
  w.line(1, '(Total limits may be over 100 percent, i.e., overcommitted.)');
  w.line(1, 'Resource', 'Requests', 'Limits');
  w.line(1, '--------', '--------', '------');
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const total = (kind: Kind): string => {
      const vals = pods.map((p) => podResource(p, kind, r)).filter((v) => v !== '0');
      return vals.length ? formatQuantity(addQuantities(...vals)) : '0';
    };
    w.line(1, r, withPercent(total('requests'), r, alloc), withPercent(total('limits'), r, alloc));
  }
}
