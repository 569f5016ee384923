/**
 * ProbeState: the verdict of one probe of one container, from the stream of raw probe results.
 * Pure and clock-free: callers pass `now` (ms since epoch) to every call.
 *
 * Semantics follow the kubelet's prober worker: results before `startedAt + initialDelaySeconds`
 * are ignored; the verdict flips to success only after `successThreshold` consecutive successes
 * and to failure only after `failureThreshold` consecutive failures; until the first flip it is
 * 'unknown' (the caller maps unknown to its initial value: liveness=success, readiness=failure).
 * `isDue(now)` tells a per-period scheduler whether to run the probe again; `reset` starts over
 * for a new container instance.
 */
import type { Probe } from '@mk8s/shared';

export type ProbeResult = 'success' | 'failure';
export type ProbeVerdict = ProbeResult | 'unknown';

export interface ProbeTimings {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

/** The probe's timing fields with the Kubernetes defaults applied (1s timeout, 10s period, 1/3). */
export function probeTimings(probe: Probe): ProbeTimings {
  const positive = (v: number | undefined, dflt: number): number => (v !== undefined && v > 0 ? v : dflt);
  return {
    initialDelayMs: Math.max(0, probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: positive(probe.periodSeconds, 10) * 1000,
    timeoutMs: positive(probe.timeoutSeconds, 1) * 1000,
    successThreshold: positive(probe.successThreshold, 1),
    failureThreshold: positive(probe.failureThreshold, 3),
  };
}

export class ProbeState {
  readonly timings: ProbeTimings;
  private startedAt: number | undefined;
  private verdict: ProbeVerdict = 'unknown';
  private lastResult: ProbeResult | undefined;
  private run = 0;
  private lastProbeAt: number | undefined;

  /** `startedAt` is the container's start time (ms); without it, the first call's `now` is used. */
  constructor(probe: Probe, opts: { startedAt?: number } = {}) {
    this.timings = probeTimings(probe);
    this.startedAt = opts.startedAt;
  }

  get current(): ProbeVerdict {
    return this.verdict;
  }

  /** Forget all results, for a new container instance started at `startedAt`. */
  reset(startedAt?: number): void {
    this.startedAt = startedAt;
    this.verdict = 'unknown';
    this.lastResult = undefined;
    this.run = 0;
    this.lastProbeAt = undefined;
  }

  /** True once the initial delay has passed and a period has elapsed since the last recorded run. */
  isDue(now: number): boolean {
    const started = this.startedAt ?? (this.startedAt = now);
    if (now < started + this.timings.initialDelayMs) return false;
    return this.lastProbeAt === undefined || now >= this.lastProbeAt + this.timings.periodMs;
  }

  /** Records one probe result taken at `now` and returns the verdict after it. */
  record(result: ProbeResult, now: number): ProbeVerdict {
    const started = this.startedAt ?? (this.startedAt = now);
    if (now < started + this.timings.initialDelayMs) return this.verdict;
    this.lastProbeAt = now;
    this.run = result === this.lastResult ? this.run + 1 : 1;
    this.lastResult = result;
    const threshold = result === 'success' ? this.timings.successThreshold : this.timings.failureThreshold;
    if (this.run >= threshold) this.verdict = result;
    return this.verdict;
  }
}
