/**
 * The scheduler framework's vocabulary: plugin outcomes (`Status`), the plugin shape, and the
 * per-node view plugins decide on (`NodeInfo`, built in node-info.ts).
 *
 * Contract:
 * - A filter returns a `Status`; anything but `Success` removes the node for this pod, with
 *   `reasons` as the human text counted in the FailedScheduling message
 *   ("0/3 nodes are available: 1 Insufficient cpu, ...").
 * - A score returns a number for one node; `normalizeScore` (when present) rewrites the
 *   scores of all feasible nodes in place to the range 0..100 (MAX_NODE_SCORE).
 *   `skipScore(pod)` lets a plugin say it has nothing to prefer for this pod.
 * - Plugins are pure: they read the pod and the NodeInfo, never the network or the clock.
 */
import type { Pod } from '@mk8s/shared';
import type { NodeInfo } from './node-info.js';

export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';

export interface Status {
  readonly code: Code;
  /** human reasons, e.g. ['Insufficient cpu', 'Insufficient memory'] */
  readonly reasons: readonly string[];
}

export const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: [] });

export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const errorStatus = (reason: string): Status => ({ code: 'Error', reasons: [reason] });

export const isSuccess = (s: Status): boolean => s.code === 'Success';

export const MAX_NODE_SCORE = 100;

export interface Plugin {
  readonly name: string;
  filter?(pod: Pod, nodeInfo: NodeInfo): Status;
  /** true when the plugin would score every node the same for this pod (its score is skipped) */
  skipScore?(pod: Pod): boolean;
  score?(pod: Pod, nodeInfo: NodeInfo): number;
  /** rewrites `scores` (one per feasible node, in order) to 0..MAX_NODE_SCORE */
  normalizeScore?(pod: Pod, scores: Float64Array): void;
}

export type { NodeInfo };
