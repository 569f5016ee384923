import { describe, expect, it } from 'vitest';
import { slowStartBatch } from './slow-start.js';

describe('slowStartBatch', () => {
  it.each([
    // count, failing call index (or -1), expected calls, expected successes
    ['all succeed', 10, -1, 10, 10],
    ['first call fails: nothing more is tried', 10, 0, 1, 0],
    ['fails in the second batch (calls 1-2): batch finishes, then stops', 10, 2, 3, 2],
    ['fails in the third batch (calls 3-6)', 10, 4, 7, 6],
    ['zero', 0, -1, 0, 0],
  ])('%s', async (_name, count, failAt, calls, successes) => {
    const seen: number[] = [];
    const r = await slowStartBatch(count, 1, async (i) => {
      seen.push(i);
      if (i === failAt) throw new Error('boom');
    });
    expect(seen.length).toBe(calls);
    expect(r.successes).toBe(successes);
    expect(r.error !== undefined).toBe(failAt >= 0 && failAt < count);
  });

  it('batches grow 1, 2, 4, ...', async () => {
    const batches: number[] = [];
    let inFlight = 0;
    await slowStartBatch(12, 1, async () => {
      inFlight++;
      await Promise.resolve();
      if (inFlight > 0) batches.push(inFlight);
      inFlight = 0;
    });
    expect(batches).toEqual([1, 2, 4, 5]);
  });
});
