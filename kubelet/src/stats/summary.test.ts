import { describe, expect, it } from 'vitest';
import { nanoCores, workingSet } from './summary.js';

describe('nanoCores', () => {
  it.each([
    ['no previous sample', undefined, { usageNs: 5e9, atNs: 10e9 }, 0],
    ['one core busy for a second', { usageNs: 1e9, atNs: 10e9 }, { usageNs: 2e9, atNs: 11e9 }, 1e9],
    ['a quarter core over two seconds', { usageNs: 0, atNs: 0 }, { usageNs: 0.5e9, atNs: 2e9 }, 0.25e9],
    ['counter went backwards (restart)', { usageNs: 9e9, atNs: 0 }, { usageNs: 1e9, atNs: 1e9 }, 0],
    ['same instant', { usageNs: 1, atNs: 5 }, { usageNs: 2, atNs: 5 }, 0],
  ])('%s', (_name, prev, cur, want) => {
    expect(nanoCores(prev, cur)).toBe(want);
  });
});

describe('workingSet', () => {
  it.each([
    ['usage minus inactive file (cgroup v1)', { usage: 100, stats: { total_inactive_file: 30 } }, 70],
    ['usage minus inactive file (cgroup v2)', { usage: 100, stats: { inactive_file: 40 } }, 60],
    ['never negative', { usage: 10, stats: { total_inactive_file: 30 } }, 0],
    ['missing stats', undefined, 0],
  ])('%s', (_name, m, want) => {
    expect(workingSet(m)).toBe(want);
  });
});
