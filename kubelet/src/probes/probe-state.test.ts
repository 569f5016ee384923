import { describe, it, expect } from 'vitest';
import type { Probe } from '@mk8s/shared';
import { ProbeState, probeTimings, type ProbeResult, type ProbeVerdict } from './probe-state.js';

const S: ProbeResult = 'success';
const F: ProbeResult = 'failure';

describe('probeTimings', () => {
  it.each<[string, Probe, ReturnType<typeof probeTimings>]>([
    ['defaults', {}, { initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1_000, successThreshold: 1, failureThreshold: 3 }],
    [
      'explicit values',
      { initialDelaySeconds: 5, periodSeconds: 2, timeoutSeconds: 3, successThreshold: 2, failureThreshold: 1 },
      { initialDelayMs: 5_000, periodMs: 2_000, timeoutMs: 3_000, successThreshold: 2, failureThreshold: 1 },
    ],
    [
      'zeros fall back to defaults',
      { periodSeconds: 0, timeoutSeconds: 0, successThreshold: 0, failureThreshold: 0 },
      { initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1_000, successThreshold: 1, failureThreshold: 3 },
    ],
  ])('%s', (_name, probe, want) => {
    expect(probeTimings(probe)).toEqual(want);
  });
});

describe('ProbeState.record', () => {
  // Each result is recorded 1s after the previous one, starting at t=1000 with startedAt=0.
  it.each<[string, Probe, ProbeResult[], ProbeVerdict[]]>([
    ['first success flips with successThreshold 1', {}, [S], [S]],
    ['failures need failureThreshold in a row', {}, [F, F, F], ['unknown', 'unknown', F]],
    ['a success breaks a failure run', {}, [F, F, S, F, F], ['unknown', 'unknown', S, S, S]],
    ['success then three failures', {}, [S, F, F, F], [S, S, S, F]],
    ['successThreshold 2 needs two successes', { successThreshold: 2 }, [S, S], ['unknown', S]],
    ['recovery needs successThreshold in a row', { successThreshold: 2, failureThreshold: 1 }, [F, S, F, S, S], [F, F, F, F, S]],
    ['failureThreshold 1 flips at once', { failureThreshold: 1 }, [S, F, S], [S, F, S]],
    ['results inside the initial delay are ignored', { initialDelaySeconds: 2 }, [F, S, F], ['unknown', S, S]],
    ['ignored results do not count toward a run', { initialDelaySeconds: 3, failureThreshold: 2 }, [F, F, F, F], ['unknown', 'unknown', 'unknown', F]],
  ])('%s', (_name, probe, results, want) => {
    const state = new ProbeState(probe, { startedAt: 0 });
    const got = results.map((r, i) => state.record(r, 1000 * (i + 1)));
    expect(got).toEqual(want);
    expect(state.current).toBe(want[want.length - 1]);
  });
});

describe('ProbeState.isDue', () => {
  it.each<[string, Probe, number[], number, boolean]>([
    ['before the initial delay', { initialDelaySeconds: 5 }, [], 4_999, false],
    ['at the end of the initial delay', { initialDelaySeconds: 5 }, [], 5_000, true],
    ['within a period of the last run', { periodSeconds: 10 }, [1_000], 10_999, false],
    ['one period after the last run', { periodSeconds: 10 }, [1_000], 11_000, true],
  ])('%s', (_name, probe, recordedAt, now, want) => {
    const state = new ProbeState(probe, { startedAt: 0 });
    for (const t of recordedAt) state.record('success', t);
    expect(state.isDue(now)).toBe(want);
  });

  it('uses the first call as the start time when none is given, and reset starts over', () => {
    const state = new ProbeState({ initialDelaySeconds: 1, failureThreshold: 1 });
    expect(state.isDue(10_000)).toBe(false);
    expect(state.record('failure', 11_000)).toBe('failure');
    state.reset(20_000);
    expect(state.current).toBe('unknown');
    expect(state.isDue(20_500)).toBe(false);
    expect(state.isDue(21_000)).toBe(true);
  });
});
