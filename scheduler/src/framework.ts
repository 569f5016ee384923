/**
 * One scheduling decision: run the filter plugins over the nodes, score the feasible ones,
 * pick the best. Pure and synchronous given the node list; the caller owns the cache.
 *
 * Contract:
 * - Filters stop at a node's first failing plugin; that plugin's reasons are counted for the
 *   FailedScheduling message (`0/3 nodes are available: 1 Insufficient cpu, 2 node(s) ...`,
 *   reason strings sorted, as Kubernetes prints them).
 * - In big clusters only enough feasible nodes are looked for (`numFeasibleNodesToFind`,
 *   Kubernetes' adaptive percentage; at least 100), starting where the previous decision
 *   stopped so every node gets its turn.
 * - Each score plugin's scores are normalized, weighted and summed; the highest total wins,
 *   ties broken uniformly at random with the injected `rng`.
 * - A plugin that throws or returns `Error` makes the result `error`, never `unschedulable`.
 */
import type { Pod } from '@mk8s/shared';
import type { NodeInfo } from './node-info.js';
import type { ConfiguredPlugin } from './registry.js';
import type { Status } from './types.js';

export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';

export type ScheduleResult =
  | { kind: 'scheduled'; node: string; evaluated: number; feasible: number }
  | { kind: 'unschedulable'; message: string; reasons: Map<string, number> }
  | { kind: 'error'; message: string };

export interface FrameworkOptions {
  plugins: ConfiguredPlugin[];
  /** 0 (default) = adaptive, as Kubernetes; 100 = check every node */
  percentageOfNodesToScore?: number;
  rng?: () => number;
}

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE = 5;

/** How many feasible nodes to look for among `numAllNodes` (Kubernetes' numFeasibleNodesToFind). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - Math.floor(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((numAllNodes * pct) / 100));
}

/** `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.` */
export function fitErrorMessage(numAllNodes: number, reasons: ReadonlyMap<string, number>): string {
  if (numAllNodes === 0) return NO_NODES_MESSAGE;
  const parts = [...reasons].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${numAllNodes} nodes are available: ${parts.join(', ')}.`;
}

export class Framework {
  private readonly filters: ConfiguredPlugin[];
  private readonly scorers: ConfiguredPlugin[];
  private readonly percentage: number;
  private readonly rng: () => number;
  private nextStartNodeIndex = 0;

  constructor(opts: FrameworkOptions) {
    this.filters = opts.plugins.filter((p) => p.plugin.filter);
    this.scorers = opts.plugins.filter((p) => p.plugin.score && p.weight > 0);
    this.percentage = opts.percentageOfNodesToScore ?? 0;
    this.rng = opts.rng ?? Math.random;
  }

  schedulePod(pod: Pod, nodes: readonly NodeInfo[]): ScheduleResult {
    try {
      return this.run(pod, nodes);
    } catch (err) {
      return { kind: 'error', message: `running scheduler plugins: ${(err as Error).message}` };
    }
  }

  /** Runs all filters on one node; the first non-success status, or success. */
  runFilters(pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    for (const { plugin } of this.filters) {
      const s = plugin.filter!(pod, nodeInfo);
      if (s.code !== 'Success') return s;
    }
    return undefined;
  }

  private run(pod: Pod, nodes: readonly NodeInfo[]): ScheduleResult {
    const n = nodes.length;
    if (n === 0) return { kind: 'unschedulable', message: NO_NODES_MESSAGE, reasons: new Map() };
    const want = numFeasibleNodesToFind(n, this.percentage);
    const feasible: NodeInfo[] = [];
    const reasons = new Map<string, number>();
    const start = this.nextStartNodeIndex % n;
    let processed = 0;
    for (; processed < n && feasible.length < want; processed++) {
      const nodeInfo = nodes[(start + processed) % n]!;
      const failed = this.runFilters(pod, nodeInfo);
      if (!failed) {
        feasible.push(nodeInfo);
        continue;
      }
      if (failed.code === 'Error') return { kind: 'error', message: `node ${nodeInfo.name}: ${failed.reasons.join(', ')}` };
      for (const r of failed.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    this.nextStartNodeIndex = (start + processed) % n;
    if (feasible.length === 0) return { kind: 'unschedulable', message: fitErrorMessage(n, reasons), reasons };
    if (feasible.length === 1) return { kind: 'scheduled', node: feasible[0]!.name, evaluated: processed, feasible: 1 };
    const totals = this.score(pod, feasible);
    return { kind: 'scheduled', node: feasible[this.pickBest(totals)]!.name, evaluated: processed, feasible: feasible.length };
  }

  private score(pod: Pod, feasible: NodeInfo[]): Float64Array {
    const n = feasible.length;
    const totals = new Float64Array(n);
    const scores = new Float64Array(n);
    for (const { plugin, weight } of this.scorers) {
      if (plugin.skipScore?.(pod)) continue;
      for (let i = 0; i < n; i++) scores[i] = plugin.score!(pod, feasible[i]!);
      plugin.normalizeScore?.(pod, scores);
      for (let i = 0; i < n; i++) totals[i]! += scores[i]! * weight;
    }
    return totals;
  }

  /** Index of the highest total; among equal totals each is equally likely (reservoir sampling). */
  private pickBest(totals: Float64Array): number {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < totals.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (this.rng() * ties < 1) best = i;
      }
    }
    return best;
  }
}
