/**
 * Node health as pure functions (kubernetes pkg/controller/nodelifecycle: tryUpdateNodeHealth,
 * doNoExecuteTaintingPass). A node's latest heartbeat is the later of its Ready condition's
 * lastHeartbeatTime and its Lease's renewTime; a node silent for longer than the grace period
 * gets its Ready/pressure conditions set to Unknown. The NoExecute taint follows Ready:
 * Unknown -> `node.kubernetes.io/unreachable`, False -> `node.kubernetes.io/not-ready`,
 * True -> neither. Times are passed in (ms since epoch / ISO strings).
 */
import type { Condition, Lease, Node, Taint } from '@mk8s/shared';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
/** The conditions the controller turns Unknown when the kubelet falls silent. */
export const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

const parseMs = (s: string | undefined | null): number | undefined => {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

export const readyConditionOf = (node: Node): Condition | undefined => node.status?.conditions?.find((c) => c.type === 'Ready');

export function lastHeartbeatMs(node: Node, lease: Lease | undefined): number | undefined {
  const a = parseMs(readyConditionOf(node)?.lastHeartbeatTime);
  const b = parseMs(lease?.spec.renewTime);
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

/**
 * True when neither a heartbeat nor our own first sight of the node (a restarted controller
 * gives every node a full grace period, as Kubernetes does) is within `graceMs` of `nowMs`.
 */
export function isHeartbeatStale(heartbeatMs: number | undefined, firstSeenMs: number, nowMs: number, graceMs: number): boolean {
  return nowMs - Math.max(heartbeatMs ?? 0, firstSeenMs) > graceMs;
}

/** The node's conditions with the monitored ones set to Unknown, or undefined if they already are. */
export function unknownConditions(node: Node, nowIso: string): Condition[] | undefined {
  const conditions = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of MONITORED_CONDITIONS) {
    const i = conditions.findIndex((c) => c.type === type);
    const cur = conditions[i];
    if (!cur) {
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: nowIso, lastTransitionTime: nowIso });
      changed = true;
    } else if (cur.status !== 'Unknown') {
      conditions[i] = { ...cur, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowIso };
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

/** NoSchedule taints by condition (Kubernetes' TaintNodesByCondition), and for a cordoned node. */
export const NO_SCHEDULE_TAINTS: { type: string; status: Condition['status']; key: string }[] = [
  { type: 'Ready', status: 'False', key: TAINT_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: 'node.kubernetes.io/memory-pressure' },
  { type: 'DiskPressure', status: 'True', key: 'node.kubernetes.io/disk-pressure' },
  { type: 'PIDPressure', status: 'True', key: 'node.kubernetes.io/pid-pressure' },
  { type: 'NetworkUnavailable', status: 'True', key: 'node.kubernetes.io/network-unavailable' },
];
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/**
 * The NoExecute taint key a node with this Ready status should carry. A node that never posted
 * a Ready condition gets none until the grace period turns it Unknown.
 */
export function desiredNoExecuteTaint(readyStatus: Condition['status'] | undefined): string | undefined {
  if (readyStatus === 'False') return TAINT_NOT_READY;
  if (readyStatus === 'Unknown') return TAINT_UNREACHABLE;
  return undefined;
}

/** Every taint this controller manages that the node should carry now (NoExecute and NoSchedule). */
export function desiredTaints(node: Node): Taint[] {
  const conditions = node.status?.conditions ?? [];
  const out: Taint[] = [];
  const noExecute = desiredNoExecuteTaint(readyConditionOf(node)?.status);
  if (noExecute) out.push({ key: noExecute, effect: 'NoExecute' });
  for (const m of NO_SCHEDULE_TAINTS) if (conditions.some((c) => c.type === m.type && c.status === m.status)) out.push({ key: m.key, effect: 'NoSchedule' });
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

const MANAGED_NO_EXECUTE = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY]);
const MANAGED_NO_SCHEDULE = new Set([...NO_SCHEDULE_TAINTS.map((m) => m.key), TAINT_UNSCHEDULABLE]);
export const isManagedTaint = (t: Taint): boolean =>
  (t.effect === 'NoExecute' && MANAGED_NO_EXECUTE.has(t.key)) || (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key));

/**
 * The node's taints with exactly the desired managed ones (a new NoExecute taint gets
 * timeAdded; existing ones keep theirs; other taints are untouched), or undefined when nothing
 * changes.
 */
export function reconcileTaints(taints: Taint[] | undefined, desired: Taint[], nowIso: string): Taint[] | undefined {
  const current = taints ?? [];
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const keep = current.filter((t) => !isManagedTaint(t) || desired.some((d) => same(d, t)));
  const add = desired.filter((d) => !keep.some((t) => same(d, t))).map((d) => (d.effect === 'NoExecute' ? { ...d, timeAdded: nowIso } : d));
  if (add.length === 0 && keep.length === current.length) return undefined;
  return [...keep, ...add];
}
