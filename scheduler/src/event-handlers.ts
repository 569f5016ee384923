/**
 * Pure predicates the scheduler's informer handlers decide with: which pods the scheduler
 * must place, which pods occupy node resources, and which node changes may help pods that
 * did not fit before.
 */
import type { Node, Pod } from '@mk8s/shared';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export const isAssigned = (pod: Pod): boolean => !!pod.spec.nodeName;

/** An unbound, live, non-terminal pod that names this scheduler (or none). */
export function needsScheduling(pod: Pod, schedulerName = DEFAULT_SCHEDULER_NAME): boolean {
  if (isAssigned(pod) || pod.metadata.deletionTimestamp || isTerminal(pod)) return false;
  return (pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME) === schedulerName;
}

/** A bound pod that still holds resources on its node. */
export const occupiesNode = (pod: Pod): boolean => isAssigned(pod) && !isTerminal(pod);

const readyOf = (n: Node): string | undefined => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
const json = (v: unknown): string => JSON.stringify(v ?? null);

/**
 * True when a node update may change a scheduling decision: cordoning, allocatable, labels,
 * taints or readiness. Heartbeats (condition timestamps) do not count.
 */
export function nodeSchedulingPropertiesChanged(oldNode: Node, newNode: Node): boolean {
  return (
    !!oldNode.spec?.unschedulable !== !!newNode.spec?.unschedulable ||
    readyOf(oldNode) !== readyOf(newNode) ||
    json(oldNode.status?.allocatable) !== json(newNode.status?.allocatable) ||
    json(oldNode.metadata.labels) !== json(newNode.metadata.labels) ||
    json(oldNode.spec?.taints) !== json(newNode.spec?.taints)
  );
}
