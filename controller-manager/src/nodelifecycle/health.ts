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

/** The NoExecute taint key a node with this Ready status should carry. */
export function desiredNoExecuteTaint(readyStatus: Condition['status'] | undefined): string | undefined {
  if (readyStatus === 'True') return undefined;
  if (readyStatus === 'False') return TAINT_NOT_READY;
  return TAINT_UNREACHABLE;
}

/** The node's taints with exactly the desired lifecycle taint, or undefined when nothing changes. */
export function reconcileTaints(taints: Taint[] | undefined, desired: string | undefined, nowIso: string): Taint[] | undefined {
  const current = taints ?? [];
  const isLifecycle = (t: Taint) => t.effect === 'NoExecute' && (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY);
  const keep = current.filter((t) => !isLifecycle(t) || t.key === desired);
  const has = desired !== undefined && keep.some((t) => t.key === desired && t.effect === 'NoExecute');
  const next = desired === undefined || has ? keep : [...keep, { key: desired, effect: 'NoExecute' as const, timeAdded: nowIso }];
  return next.length === current.length && next.every((t, i) => t === current[i]) ? undefined : next;
}
