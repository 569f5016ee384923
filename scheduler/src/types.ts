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

export interface NodeScore {
  readonly name: string;
  score: number;
}

export interface Plugin {
  readonly name: string;
  filter?(pod: Pod, nodeInfo: NodeInfo): Status;
  score?(pod: Pod, nodeInfo: NodeInfo): number;
  /** rewrites `scores` (one per feasible node) to 0..MAX_NODE_SCORE */
  normalizeScore?(pod: Pod, scores: NodeScore[]): void;
}

export type { NodeInfo };
