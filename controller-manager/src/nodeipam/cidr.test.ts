import { describe, expect, it } from 'vitest';
import { blockCidr, blocksCoveredBy, firstFreeBlock, newCidrSet, parseCidr } from './cidr.js';

const set = newCidrSet('10.244.0.0/16', 24);

describe('cidr set', () => {
  it('cuts the cluster CIDR into blocks', () => {
    expect(set.count).toBe(256);
    expect(blockCidr(set, 0)).toBe('10.244.0.0/24');
    expect(blockCidr(set, 5)).toBe('10.244.5.0/24');
    expect(blockCidr(set, 255)).toBe('10.244.255.0/24');
    expect(blockCidr(newCidrSet('10.0.0.0/8', 26), 5)).toBe('10.0.1.64/26');
  });

  it.each([
    ['exact block', '10.244.3.0/24', [3]],
    ['host bits are ignored', '10.244.3.7/24', [3]],
    ['larger range covers several blocks', '10.244.4.0/23', [4, 5]],
    ['smaller range inside one block', '10.244.9.128/25', [9]],
    ['outside the cluster CIDR', '10.245.0.0/24', []],
    ['garbage', 'nope', []],
  ])('blocksCoveredBy: %s', (_n, cidr, want) => {
    expect(blocksCoveredBy(set, cidr)).toEqual(want);
  });

  it('firstFreeBlock skips used blocks and reports exhaustion', () => {
    expect(firstFreeBlock(set, new Set([0, 1, 3]))).toBe(2);
    const tiny = newCidrSet('10.0.0.0/30', 31);
    expect(firstFreeBlock(tiny, new Set([0, 1]))).toBeUndefined();
  });

  it.each([
    ['10.244.0.0/33', undefined],
    ['10.244.0/16', undefined],
    ['10.244.1.1/16', { base: parseCidr('10.244.0.0/16')!.base, prefix: 16 }],
  ])('parseCidr(%s)', (s, want) => {
    expect(parseCidr(s)).toEqual(want);
  });

  it('rejects a mask size that does not fit', () => {
    expect(() => newCidrSet('10.244.0.0/16', 8)).toThrow(/does not fit/);
  });
});
