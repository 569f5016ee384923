import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('Backoff', () => {
  it('retries the first failure at once, then doubles up to the cap', () => {
    const c = clock();
    const b = new Backoff({ baseMs: 10_000, capMs: 40_000, now: c.now });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      b.next('k');
      delays.push(b.delay('k'));
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 40_000, 40_000]);
  });

  it.each([
    { name: 'no entry', setup: 0, sinceFinish: 0, want: false },
    { name: 'inside the delay', setup: 1, sinceFinish: 9_999, want: true },
    { name: 'delay over', setup: 1, sinceFinish: 10_000, want: false },
    { name: 'second delay', setup: 2, sinceFinish: 15_000, want: true },
  ])('isInBackOff: $name', ({ setup, sinceFinish, want }) => {
    const c = clock();
    const b = new Backoff({ baseMs: 10_000, capMs: 300_000, now: c.now });
    for (let i = 0; i < setup; i++) b.next('k');
    const finished = c.now();
    c.advance(sinceFinish);
    expect(b.isInBackOff('k', finished)).toBe(want);
  });

  it('resets to base after a long enough run', () => {
    const b = new Backoff({ baseMs: 10, capMs: 300, resetAfterMs: 600_000, now: clock().now });
    b.next('k');
    b.next('k');
    b.next('k', 1000);
    expect(b.delay('k')).toBe(40);
    b.next('k', 600_000);
    expect(b.delay('k')).toBe(10);
  });

  it('reports the time left and forgets keys by prefix', () => {
    const c = clock();
    const b = new Backoff({ baseMs: 10_000, capMs: 300_000, now: c.now });
    b.next('pod1/a');
    b.next('pod2/a');
    const finished = c.now();
    c.advance(4_000);
    expect(b.remaining('pod1/a', finished)).toBe(6_000);
    b.resetPrefix('pod1/');
    expect(b.delay('pod1/a')).toBe(0);
    expect(b.delay('pod2/a')).toBe(10_000);
  });
});
