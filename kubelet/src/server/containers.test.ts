import { describe, it, expect } from 'vitest';
import { byNewestRunningFirst, previousInstance, type ContainerRef } from './containers.js';

const ref = (id: string, over: Partial<ContainerRef> = {}): ContainerRef => ({
  id,
  name: 'app',
  podUid: 'u1',
  running: false,
  restartCount: 0,
  created: 100,
  ...over,
});

describe('byNewestRunningFirst', () => {
  it.each<[string, ContainerRef[], string[]]>([
    ['running first', [ref('a'), ref('b', { running: true })], ['b', 'a']],
    ['higher restart count first', [ref('a', { restartCount: 1 }), ref('b', { restartCount: 2 })], ['b', 'a']],
    ['newer creation first', [ref('a', { created: 1 }), ref('b', { created: 2 })], ['b', 'a']],
    [
      'running beats restart count',
      [ref('a', { restartCount: 5 }), ref('b', { running: true, restartCount: 1 })],
      ['b', 'a'],
    ],
  ])('%s', (_name, refs, want) => {
    expect([...refs].sort(byNewestRunningFirst).map((r) => r.id)).toEqual(want);
  });
});

describe('previousInstance', () => {
  it.each<[string, ContainerRef[], string | undefined]>([
    ['none', [], undefined],
    ['only the current one', [ref('cur', { running: true })], undefined],
    [
      'highest lower restart count',
      [ref('cur', { running: true, restartCount: 2 }), ref('r1', { restartCount: 1 }), ref('r0', { restartCount: 0 })],
      'r1',
    ],
    [
      'current exited: previous is still the lower restart count',
      [ref('cur', { restartCount: 1, created: 200 }), ref('r0', { restartCount: 0 })],
      'r0',
    ],
    [
      'other pod uid ignored',
      [ref('cur', { running: true, restartCount: 1, podUid: 'u2' }), ref('old', { restartCount: 0 })],
      undefined,
    ],
    ['same restart count is not previous', [ref('cur', { running: true, restartCount: 1 }), ref('x', { restartCount: 1 })], undefined],
  ])('%s', (_name, refs, want) => {
    expect(previousInstance(refs)?.id).toBe(want);
  });
});
