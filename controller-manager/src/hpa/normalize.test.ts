import { describe, expect, it } from 'vitest';
import { behaviorWithDefaults, limitWithBehavior, limitWithRules, stabilizeDownscale, stabilizeWithBehavior, type ScaleEvent } from './normalize.js';

describe('without behavior', () => {
  it.each([
    ['within range', 3, 5, 1, 10, 5, 'DesiredWithinRange'],
    ['clamped to max', 3, 12, 1, 6, 6, 'TooManyReplicas'],
    ['clamped to min', 3, 1, 2, 10, 2, 'TooFewReplicas'],
    ['scale-up rate: at most double', 3, 20, 1, 100, 6, 'ScaleUpLimit'],
    ['scale-up rate: at least 4', 1, 20, 1, 100, 4, 'ScaleUpLimit'],
  ])('limitWithRules: %s', (_n, current, desired, min, max, want, reason) => {
    expect(limitWithRules(current, desired, min, max)).toMatchObject({ replicas: want, reason });
  });

  it('stabilization keeps the highest recommendation within the window', () => {
    let h = stabilizeDownscale([], 8, 0, 300_000);
    expect(h.replicas).toBe(8);
    h = stabilizeDownscale(h.history, 2, 60_000, 300_000);
    expect(h.replicas).toBe(8);
    h = stabilizeDownscale(h.history, 3, 299_000, 300_000);
    expect(h.replicas).toBe(8);
    h = stabilizeDownscale(h.history, 2, 301_000, 300_000);
    expect(h.replicas).toBe(3);
    expect(h.history.map((r) => r.replicas)).toEqual([2, 3, 2]);
  });
});

describe('with behavior', () => {
  const defaults = behaviorWithDefaults({}, 300);

  it('fills Kubernetes defaults', () => {
    expect(defaults.scaleUp).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
    expect(defaults.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });

  it('stabilizes up with the lowest and down with the highest recent recommendation', () => {
    const b = behaviorWithDefaults({ scaleUp: { stabilizationWindowSeconds: 60 }, scaleDown: { stabilizationWindowSeconds: 120 } }, 300);
    const history = [{ atMs: 0, replicas: 4 }, { atMs: 50_000, replicas: 9 }];
    expect(stabilizeWithBehavior(history, 10, 5, 70_000, b).replicas).toBe(9); // up: min(9,10) within 60 s
    expect(stabilizeWithBehavior(history, 2, 5, 70_000, b).replicas).toBe(5); // down: max(4,9,2)=9 > current: stay at 5
  });

  const ev = (atMs: number, change: number): ScaleEvent => ({ atMs, change });
  it.each<[string, number, number, Parameters<typeof behaviorWithDefaults>[0], ScaleEvent[], ScaleEvent[], number, string]>([
    ['default up: max(+4, +100%) from 2', 2, 20, {}, [], [], 6, 'ScaleUpLimit'],
    ['default up: max(+4, +100%) from 10', 10, 50, {}, [], [], 20, 'ScaleUpLimit'],
    ['up policy counts recent scale-ups', 6, 20, { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } }, [ev(90_000, 4)], [], 6, 'ScaleUpLimit'],
    ['up policy forgets old scale-ups', 6, 20, { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } }, [ev(10_000, 4)], [], 10, 'ScaleUpLimit'],
    ['selectPolicy Min picks the smaller change', 10, 50, { scaleUp: { selectPolicy: 'Min' } }, [], [], 14, 'ScaleUpLimit'],
    ['down: at most 1 pod per minute', 10, 2, { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }, [], [], 9, 'ScaleDownLimit'],
    ['down: Disabled keeps the count', 10, 2, { scaleDown: { selectPolicy: 'Disabled' } }, [], [], 10, 'ScaleDownLimit'],
    ['max still wins', 2, 20, {}, [], [], 3, 'TooManyReplicas'],
  ])('%s', (_n, current, desired, behavior, up, down, want, reason) => {
    const max = reason === 'TooManyReplicas' ? 3 : 100;
    expect(limitWithBehavior(current, desired, 1, max, behaviorWithDefaults(behavior, 300), up, down, 100_000)).toMatchObject({ replicas: want, reason });
  });
});
