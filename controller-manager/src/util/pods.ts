/**
 * Pure predicates about pods that workload controllers share (kubernetes
 * pkg/controller/controller_utils.go and pkg/api/v1/pod): active, ready, available after
 * minReadySeconds, the controller ownerReference, and the order in which surplus pods are
 * deleted (least valuable first). Times are taken as arguments so every function is testable.
 */
import type { KubeObject, OwnerReference, Pod, PodTemplateSpec } from '@mk8s/shared';
import { controllerRef } from './owner-patches.js';

/** Not Succeeded/Failed and not being deleted: counts toward replicas. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod last became Ready (ms since epoch), undefined when not ready or unknown. */
export function podReadySinceMs(pod: Pod): number | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
  if (!c?.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/** Ready for at least minReadySeconds at `nowMs` (k8s podutil.IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySinceMs(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= nowMs;
}

export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The API group of an apiVersion: '' for 'v1', 'apps' for 'apps/v1'. */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const restarts = (p: Pod): number => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
const created = (p: Pod): number => (p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : 0);
const cost = (p: Pod): number => {
  const v = Number(p.metadata.annotations?.[DELETION_COST] ?? 0);
  return Number.isFinite(v) ? v : 0;
};

/**
 * Sort comparator: negative when `a` should be deleted before `b`. Unscheduled < scheduled;
 * Pending < Unknown < Running; not ready < ready; lower pod-deletion-cost first; ready for less
 * time < ready longer; more restarts < fewer; newer < older (k8s controller.ActivePods).
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const aNode = a.spec.nodeName ? 1 : 0;
  const bNode = b.spec.nodeName ? 1 : 0;
  if (aNode !== bNode) return aNode - bNode;
  const aPhase = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 3;
  const bPhase = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 3;
  if (aPhase !== bPhase) return aPhase - bPhase;
  const aReady = isPodReady(a) ? 1 : 0;
  const bReady = isPodReady(b) ? 1 : 0;
  if (aReady !== bReady) return aReady - bReady;
  if (cost(a) !== cost(b)) return cost(a) - cost(b);
  if (aReady && bReady) {
    const at = podReadySinceMs(a) ?? Infinity;
    const bt = podReadySinceMs(b) ?? Infinity;
    if (at !== bt) return bt - at; // later ready first
  }
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return created(b) - created(a); // newer first
}

/** The `n` least valuable pods, in deletion order. */
export function podsToDelete(pods: Pod[], n: number): Pod[] {
  return [...pods].sort(compareForDeletion).slice(0, Math.max(0, n));
}

/**
 * The pod a workload controller creates from its template: `<owner>-` generated name, the
 * template's labels, annotations and finalizers, and a controller ownerReference to the owner.
 */
export function podFromTemplate(owner: KubeObject, template: PodTemplateSpec, apiVersion: string, kind: string): Pod {
  const m = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name ?? ''}-`,
      namespace: owner.metadata.namespace,
      labels: { ...m.labels },
      ownerReferences: [controllerRef(owner, apiVersion, kind)],
    },
    spec: structuredClone(template.spec),
  };
  if (m.annotations) pod.metadata.annotations = { ...m.annotations };
  if (m.finalizers) pod.metadata.finalizers = [...m.finalizers];
  return pod;
}
