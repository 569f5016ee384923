import { describe, expect, it } from 'vitest';
import type { KubeList } from '@mk8s/shared';
import { jsonOf, listJson } from './json-cache.js';

describe('listJson', () => {
  it.each<{ name: string; list: KubeList }>([
    { name: 'a list with items', list: { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b', labels: { x: '"q"' } } }] } },
    { name: 'an empty list', list: { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7', continue: 'abc' }, items: [] } },
    { name: 'a list with nothing but items', list: { items: [{ metadata: { name: 'a' } }] } as unknown as KubeList },
  ])('$name: same text as JSON.stringify', ({ list }) => {
    expect(listJson(list)).toBe(JSON.stringify(list));
    expect(JSON.parse(listJson(list))).toEqual(list);
  });

  it('serializes an object once and reuses the text', () => {
    const obj = { metadata: { name: 'a' } };
    const first = jsonOf(obj);
    expect(jsonOf(obj)).toBe(first);
    expect(jsonOf({ metadata: { name: 'a' } })).toBe(first);
  });
});
