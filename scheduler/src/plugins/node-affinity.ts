/**
 * NodeAffinity: the pod's `nodeSelector` (every key equal) and its required node affinity
 * (`requiredDuringSchedulingIgnoredDuringExecution`: any term matches; within a term every
 * matchExpression on labels and matchField on metadata.name holds; an empty term matches
 * nothing) must both match the node. Preferred terms add their weight to the node's score.
 *
 * `spec.affinity` is not in the shared PodSpec type yet, so it is narrowed here.
 */
import type { Node, Pod } from '@mk8s/shared';
import { MAX_NODE_SCORE, SUCCESS, unresolvable, type NodeInfo, type Plugin, type Status } from '../types.js';

export const NAME = 'NodeAffinity';
export const REASON = "node(s) didn't match Pod's node affinity/selector";

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}
export interface NodeAffinitySpec {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
}

export function nodeAffinityOf(pod: Pod): NodeAffinitySpec | undefined {
  const spec = pod.spec as Pod['spec'] & { affinity?: { nodeAffinity?: NodeAffinitySpec } };
  return spec.affinity?.nodeAffinity;
}

export function requirementMatches(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value!);
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1 || !/^-?\d+$/.test(value!) || !/^-?\d+$/.test(values[0]!)) return false;
      const a = Number(value);
      const b = Number(values[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  const nodeFields = { 'metadata.name': node.metadata.name ?? '' };
  return exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => requirementMatches(r, nodeFields));
}

/** True when the node satisfies the pod's nodeSelector and required node affinity. */
export function matchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = pod.spec.nodeSelector;
  if (selector) for (const k in selector) if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== selector[k]) return false;
  const required = nodeAffinityOf(pod)?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

/** Sum of the weights of the preferred terms the node matches. */
export function preferredWeight(pod: Pod, node: Node): number {
  let sum = 0;
  for (const p of nodeAffinityOf(pod)?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (p.weight > 0 && termMatches(p.preference, node)) sum += p.weight;
  }
  return sum;
}

export function nodeAffinity(): Plugin {
  return {
    name: NAME,
    filter(pod: Pod, nodeInfo: NodeInfo): Status {
      return matchesNodeSelectorAndAffinity(pod, nodeInfo.node) ? SUCCESS : unresolvable(REASON);
    },
    skipScore(pod: Pod): boolean {
      return (nodeAffinityOf(pod)?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) === 0;
    },
    score(pod: Pod, nodeInfo: NodeInfo): number {
      return preferredWeight(pod, nodeInfo.node);
    },
    normalizeScore(_pod: Pod, scores: Float64Array): void {
      let max = 0;
      for (const s of scores) max = Math.max(max, s);
      for (let i = 0; i < scores.length; i++) scores[i] = max === 0 ? 0 : (MAX_NODE_SCORE * scores[i]!) / max;
    },
  };
}
