import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '@mk8s/shared';
import { isAtLeast, SliceTracker } from './tracker.js';

const slice = (name: string, rv: string): EndpointSlice => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, resourceVersion: rv }, addressType: 'IPv4' });

describe('SliceTracker', () => {
  it.each<[string, (t: SliceTracker) => void, EndpointSlice[], boolean]>([
    ['nothing written', () => {}, [], false],
    ['created slice not yet cached', (t) => t.expectWrite('ns/web', slice('web-a', '10')), [], true],
    ['created slice cached', (t) => t.expectWrite('ns/web', slice('web-a', '10')), [slice('web-a', '10')], false],
    ['cache older than our update', (t) => t.expectWrite('ns/web', slice('web-a', '10')), [slice('web-a', '9')], true],
    ['cache newer than our update', (t) => t.expectWrite('ns/web', slice('web-a', '10')), [slice('web-a', '12')], false],
    ['deleted slice still cached', (t) => t.expectDeletion('ns/web', 'web-a'), [slice('web-a', '9')], true],
    ['deleted slice gone from the cache', (t) => t.expectDeletion('ns/web', 'web-a'), [], false],
    ['informer reported the deletion', (t) => (t.expectWrite('ns/web', slice('web-a', '10')), t.forget('ns/web', 'web-a')), [], false],
    ['another service', (t) => t.expectWrite('ns/api', slice('api-a', '10')), [], false],
  ])('%s', (_n, act, cached, stale) => {
    const t = new SliceTracker(() => 0);
    act(t);
    expect(t.isStale('ns/web', cached)).toBe(stale);
  });

  it('expectations expire', () => {
    let now = 0;
    const t = new SliceTracker(() => now, 1000);
    t.expectWrite('ns/web', slice('web-a', '10'));
    expect(t.isStale('ns/web', [])).toBe(true);
    now = 1001;
    expect(t.isStale('ns/web', [])).toBe(false);
  });

  it.each([['5', '5', true], ['6', '5', true], ['4', '5', false], ['abc', '5', false], [undefined, '5', false]])('isAtLeast(%s, %s) = %s', (a, b, want) => {
    expect(isAtLeast(a, b)).toBe(want);
  });
});
