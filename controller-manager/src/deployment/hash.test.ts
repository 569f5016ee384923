import type { PodTemplateSpec } from '@mk8s/shared';
import { describe, expect, it } from 'vitest';
import { canonicalJson, computeHash, fnv32a, templatesEqualIgnoringHash } from './hash.js';

const t = (image: string, labels: Record<string, string> = { app: 'web' }): PodTemplateSpec => ({ metadata: { labels }, spec: { containers: [{ name: 'main', image }] } });

describe('pod-template-hash', () => {
  it('FNV-1a 32 matches the reference vectors', () => {
    expect(fnv32a(new TextEncoder().encode(''))).toBe(0x811c9dc5);
    expect(fnv32a(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    expect(fnv32a(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
  });

  it.each([
    ['same template, same hash', t('a'), t('a'), true],
    ['key order does not matter', { spec: { containers: [{ image: 'a', name: 'main' }] }, metadata: { labels: { app: 'web' } } } as PodTemplateSpec, t('a'), true],
    ['another image, another hash', t('a'), t('b'), false],
    ['another label, another hash', t('a'), t('a', { app: 'x' }), false],
  ])('%s', (_n, a, b, same) => expect(computeHash(a) === computeHash(b)).toBe(same));

  it('is name-safe and stable', () => {
    const h = computeHash(t('nginx:1'));
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash(t('nginx:1'))).toBe(h);
  });

  it('collisionCount changes the hash', () => {
    expect(computeHash(t('a'), 1)).not.toBe(computeHash(t('a')));
    expect(computeHash(t('a'), 1)).not.toBe(computeHash(t('a'), 2));
  });

  it.each([
    ['identical', t('a'), t('a'), true],
    ['hash label ignored', t('a', { app: 'web', 'pod-template-hash': 'abc' }), t('a'), true],
    ['image differs', t('a'), t('b'), false],
    ['empty label map equals none', { metadata: { labels: { 'pod-template-hash': 'x' } }, spec: { containers: [] } }, { metadata: {}, spec: { containers: [] } }, true],
  ])('templatesEqualIgnoringHash: %s', (_n, a, b, want) => expect(templatesEqualIgnoringHash(a as PodTemplateSpec, b as PodTemplateSpec)).toBe(want));

  it('canonicalJson sorts keys and drops undefined', () => expect(canonicalJson({ b: 1, a: { d: undefined, c: [1] } })).toBe('{"a":{"c":[1]},"b":1}'));
});
