import { FakeClock } from '@mk8s/shared/testing';
import { describe, expect, it } from 'vitest';
import { EXPECTATIONS_TTL_MS, Expectations } from './expectations.js';

type Step = (e: Expectations, clock: FakeClock) => void | Promise<void>;

describe('Expectations', () => {
  it.each<[string, Step[], boolean]>([
    ['no record is satisfied', [], true],
    ['pending creations are not', [(e) => e.expectCreations('ns/a', 3)], false],
    ['two of three creations observed', [(e) => e.expectCreations('ns/a', 3), (e) => e.creationObserved('ns/a'), (e) => e.creationObserved('ns/a')], false],
    ['all creations observed', [(e) => e.expectCreations('ns/a', 2), (e) => e.creationObserved('ns/a'), (e) => e.creationObserved('ns/a')], true],
    ['pending deletions are not', [(e) => e.expectDeletions('ns/a', ['ns/p1', 'ns/p2'])], false],
    ['the same deletion observed twice counts once', [(e) => e.expectDeletions('ns/a', ['ns/p1', 'ns/p2']), (e) => e.deletionObserved('ns/a', 'ns/p1'), (e) => e.deletionObserved('ns/a', 'ns/p1')], false],
    ['all deletions observed', [(e) => e.expectDeletions('ns/a', ['ns/p1', 'ns/p2']), (e) => e.deletionObserved('ns/a', 'ns/p2'), (e) => e.deletionObserved('ns/a', 'ns/p1')], true],
    ['expired after the TTL', [(e) => e.expectCreations('ns/a', 3), (_e, c) => c.advance(EXPECTATIONS_TTL_MS + 1)], true],
    ['not expired just before the TTL', [(e) => e.expectCreations('ns/a', 3), (_e, c) => c.advance(EXPECTATIONS_TTL_MS - 1)], false],
    ['deleted record is satisfied', [(e) => e.expectCreations('ns/a', 3), (e) => e.delete('ns/a')], true],
    ['other keys do not interfere', [(e) => e.expectCreations('ns/b', 3)], true],
  ])('%s', async (_name, steps, want) => {
    const clock = new FakeClock();
    const e = new Expectations(clock);
    for (const s of steps) await s(e, clock);
    expect(e.satisfied('ns/a')).toBe(want);
  });
});
