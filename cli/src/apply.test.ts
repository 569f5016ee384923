import { describe, it, expect } from 'vitest';
import { computeApplyPatch, withLastApplied, readLastApplied, LAST_APPLIED, isSubset, type JsonObject } from './apply.js';

/** the annotation text for a manifest, as withLastApplied writes it */
const annotationOf = (m: JsonObject): string => (withLastApplied(m).metadata as any).annotations[LAST_APPLIED];

const deploy = (replicas: number, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas, template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } }, ...extra },
});

/** what the server would hold after applying `m`: defaults added inside lists and objects */
const liveOf = (m: JsonObject, drift: (o: JsonObject) => void = () => {}): JsonObject => {
  const live = structuredClone(withLastApplied(m)) as any;
  live.metadata.uid = 'u1';
  live.metadata.resourceVersion = '5';
  live.spec.strategy = { type: 'RollingUpdate' };
  for (const c of live.spec.template.spec.containers) c.imagePullPolicy = 'IfNotPresent';
  live.status = { replicas: 1 };
  drift(live);
  return live;
};

describe('computeApplyPatch', () => {
  it.each([
    {
      name: 'unchanged manifest gives an empty patch despite server defaults',
      last: deploy(1),
      next: deploy(1),
      live: liveOf(deploy(1)),
      want: {},
    },
    {
      name: 'changed scalar is set',
      last: deploy(1),
      next: deploy(3),
      live: liveOf(deploy(1)),
      want: { spec: { replicas: 3 } },
    },
    {
      name: 'field removed from the manifest is deleted',
      last: deploy(1, { paused: true }),
      next: deploy(1),
      live: liveOf(deploy(1, { paused: true })),
      want: { spec: { paused: null } },
    },
    {
      name: 'field removed but already gone live is not sent',
      last: deploy(1, { paused: true }),
      next: deploy(1),
      live: liveOf(deploy(1)),
      want: {},
    },
    {
      name: 'live drift of a managed scalar is reverted',
      last: deploy(2),
      next: deploy(2),
      live: liveOf(deploy(2), (l: any) => (l.spec.replicas = 5)),
      want: { spec: { replicas: 2 } },
    },
    {
      name: 'changed list item replaces the whole list',
      last: deploy(1),
      next: { ...deploy(1), spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
      live: liveOf(deploy(1)),
      want: { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
    },
    {
      name: 'field removed inside a list item replaces the list',
      last: { ...deploy(1), spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'b', command: ['sh'] }] } } } },
      next: deploy(1),
      live: liveOf({ ...deploy(1), spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'b', command: ['sh'] }] } } } }),
      want: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } },
    },
    {
      name: 'label added and removed',
      last: deploy(1),
      next: { ...deploy(1), metadata: { name: 'web', labels: { tier: 'fe' } } },
      live: liveOf(deploy(1)),
      want: { metadata: { labels: { tier: 'fe', app: null } } },
    },
    {
      name: 'no last-applied: only additions and changes',
      last: undefined,
      next: deploy(1, { paused: false }),
      live: liveOf(deploy(1)),
      want: { spec: { paused: false } },
    },
    {
      name: 'number vs string scalar counts as equal',
      last: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } },
      next: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 1 } },
      live: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } },
      want: {},
    },
  ])('$name', ({ last, next, live, want }) => {
    const modified = withLastApplied(next);
    const liveObj = structuredClone(live) as any;
    // the live annotation is whatever was applied last; compare against the new one
    if (last) liveObj.metadata.annotations = { [LAST_APPLIED]: annotationOf(last) };
    const patch = computeApplyPatch(last, modified, liveObj);
    const annotationChanged = last !== undefined && annotationOf(last) !== annotationOf(next);
    const expected = structuredClone(want) as any;
    if (annotationChanged || last === undefined) {
      expected.metadata = { ...(expected.metadata ?? {}), annotations: { [LAST_APPLIED]: annotationOf(next) } };
    }
    expect(patch).toEqual(expected);
  });
});

describe('withLastApplied / readLastApplied', () => {
  it.each([
    {
      name: 'no annotations',
      obj: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'd' } } as JsonObject,
      want: '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"p","namespace":"d"}}\n',
    },
    {
      name: 'keeps other annotations, sorted keys',
      obj: { kind: 'Pod', metadata: { name: 'p', annotations: { z: '1', a: '2' } } } as JsonObject,
      want: '{"kind":"Pod","metadata":{"annotations":{"a":"2","z":"1"},"name":"p"}}\n',
    },
  ])('$name: kubectl format, round-trips, idempotent', ({ obj, want }) => {
    const out = withLastApplied(obj);
    expect(annotationOf(obj)).toBe(want);
    expect(readLastApplied(out)).toEqual(JSON.parse(want));
    expect(withLastApplied(out)).toEqual(out);
  });
  it('ignores unreadable annotations', () => {
    expect(readLastApplied({ metadata: { annotations: { [LAST_APPLIED]: '{' } } })).toBeUndefined();
  });
});

describe('isSubset', () => {
  it.each([
    { m: { a: 1 }, l: { a: 1, b: 2 }, want: true },
    { m: { a: 1, b: 2 }, l: { a: 1 }, want: false },
    { m: [{ a: 1 }], l: [{ a: 1, d: 0 }], want: true },
    { m: [{ a: 1 }], l: [{ a: 1 }, { a: 2 }], want: false },
    { m: 'x', l: 'y', want: false },
  ])('$m in $l is $want', ({ m, l, want }) => expect(isSubset(m, l)).toBe(want));
});
