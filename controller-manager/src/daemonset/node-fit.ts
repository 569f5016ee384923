/**
 * Which nodes a DaemonSet's pods belong on (k8s pkg/controller/daemon NodeShouldRunDaemonPod and
 * util.AddOrUpdateDaemonPodTolerations), as pure functions of the DaemonSet and one Node:
 * - the template's nodeName (if set), nodeSelector and required node affinity must match the
 *   node, or no pod runs there and an existing one is removed;
 * - every NoSchedule/NoExecute taint must be tolerated by the template's tolerations plus the
 *   ones added to every daemon pod (so cordoned, not-ready and pressured nodes still qualify);
 *   an untolerated NoSchedule taint only stops new pods (shouldContinueRunning stays true), an
 *   untolerated NoExecute taint evicts.
 * `targetNodeName` reads the node a daemon pod is for: its nodeName once bound, else the
 * `metadata.name` matchField the controller pinned it with.
 */
import type { DaemonSet, Node, Pod, PodSpec, Taint, Toleration } from '@mk8s/shared';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}
export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: unknown[];
}
/** `affinity` is not in the shared PodSpec type yet, so it is narrowed here. */
export type SpecWithAffinity = PodSpec & { affinity?: { nodeAffinity?: NodeAffinity; [k: string]: unknown } };

const exists = (key: string, effect: Toleration['effect']): Toleration => ({ key, operator: 'Exists', effect });

/** The tolerations Kubernetes adds to every daemon pod (network-unavailable only with hostNetwork). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) t.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  return t;
}

/** The template's tolerations plus the daemon ones it does not already carry (same key and effect). */
export function withDaemonTolerations(spec: PodSpec): Toleration[] {
  const own = spec.tolerations ?? [];
  const added = daemonTolerations(spec.hostNetwork === true).filter((d) => !own.some((t) => t.key === d.key && t.effect === d.effect));
  return [...own, ...added];
}

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (t.operator !== undefined && t.operator !== 'Equal') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

function requirementMatches(r: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, r.key);
  const v = values[r.key] ?? '';
  const want = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && want.includes(v);
    case 'NotIn':
      return !has || !want.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt':
      if (!has || want.length !== 1 || !/^-?\d+$/.test(v) || !/^-?\d+$/.test(want[0]!)) return false;
      return r.operator === 'Gt' ? Number(v) > Number(want[0]) : Number(v) < Number(want[0]);
    default:
      return false;
  }
}

function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => requirementMatches(r, { 'metadata.name': node.metadata.name ?? '' }));
}

/** nodeSelector (every key equal) and required node affinity (any term matches). */
export function fitsNodeAffinity(spec: SpecWithAffinity, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !required || (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

export interface NodeFit {
  /** a daemon pod should be created here when none exists */
  shouldRun: boolean;
  /** an existing daemon pod may stay */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(ds: DaemonSet, node: Node): NodeFit {
  const spec = ds.spec.template.spec as SpecWithAffinity;
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(spec);
  const untolerated = (node.spec?.taints ?? []).filter((taint) => taint.effect !== 'PreferNoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint)));
  if (untolerated.length === 0) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untolerated.some((t) => t.effect === 'NoExecute') };
}

/** The node a daemon pod runs on or is pinned to; undefined when neither says. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = (pod.spec as SpecWithAffinity).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    const f = term.matchFields?.find((r) => r.key === 'metadata.name' && r.operator === 'In' && r.values?.length === 1);
    if (f) return f.values![0];
  }
  return undefined;
}
