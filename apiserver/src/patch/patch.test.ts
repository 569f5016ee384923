import { describe, it, expect } from 'vitest';
import { applyPatch, patchKindFromContentType, parseJsonBody } from './index.js';

type AnyObj = Record<string, any>; // test-only: reaching into patched objects
const pod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { a: '1', b: '2' } },
  spec: { containers: [{ name: 'c', image: 'i1' }], nodeSelector: { x: 'y' } },
});

function errorOf(fn: () => unknown): { code?: number; reason?: string; message?: string; details?: unknown } {
  try {
    fn();
  } catch (e) {
    return e as { code: number; reason: string; message: string };
  }
  throw new Error('expected an error');
}

describe('patchKindFromContentType', () => {
  it.each([
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/apply-patch+yaml', 'apply'],
    ['application/merge-patch+json; charset=utf-8', 'merge'],
  ])('%s -> %s', (ct, kind) => expect(patchKindFromContentType(ct)).toBe(kind));

  it.each([undefined, 'application/json', 'text/plain'])('%s is 415', (ct) => {
    expect(errorOf(() => patchKindFromContentType(ct))).toMatchObject({
      code: 415,
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json',
    });
  });
});

describe('json patch', () => {
  it.each([
    { name: 'replace', ops: [{ op: 'replace', path: '/spec/containers/0/image', value: 'i2' }], want: (o: AnyObj) => o.spec.containers[0].image === 'i2' },
    { name: 'test then replace', ops: [{ op: 'test', path: '/metadata/name', value: 'p' }, { op: 'replace', path: '/metadata/labels/a', value: 'z' }], want: (o: AnyObj) => o.metadata.labels.a === 'z' },
    { name: 'move', ops: [{ op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/c' }], want: (o: AnyObj) => o.metadata.labels.c === '1' && !('a' in o.metadata.labels) },
    { name: 'copy', ops: [{ op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/d' }], want: (o: AnyObj) => o.metadata.labels.d === '1' && o.metadata.labels.a === '1' },
    { name: 'add to list end', ops: [{ op: 'add', path: '/spec/containers/-', value: { name: 'd' } }], want: (o: AnyObj) => o.spec.containers.length === 2 },
    { name: 'remove', ops: [{ op: 'remove', path: '/spec/nodeSelector' }], want: (o: AnyObj) => !('nodeSelector' in o.spec) },
  ])('$name', ({ ops, want }) => {
    const original = pod();
    const before = JSON.stringify(original);
    expect(want(applyPatch('Pod', original, 'json', JSON.stringify(ops)) as AnyObj)).toBe(true);
    expect(JSON.stringify(original)).toBe(before);
  });

  it.each([
    { name: 'failed test', body: '[{"op":"test","path":"/metadata/name","value":"q"}]', code: 422, reason: 'Invalid', cause: 'testing value /metadata/name failed: test failed' },
    { name: 'replace of a missing path', body: '[{"op":"replace","path":"/nope/x","value":1}]', code: 422, reason: 'Invalid', cause: 'replace operation does not apply: doc is missing path: "/nope/x": missing value' },
    { name: 'unknown op', body: '[{"op":"frob","path":"/a"}]', code: 422, reason: 'Invalid', cause: 'Unexpected kind: frob' },
  ])('$name is 422 with the cause', ({ body, code, reason, cause }) => {
    expect(errorOf(() => applyPatch('Pod', pod(), 'json', body))).toMatchObject({
      code,
      reason,
      message: 'the server rejected our request due to an error in our request',
      details: { causes: [{ reason: 'UnexpectedServerResponse', message: cause }] },
    });
  });

  it.each([
    ['not JSON', '[{', 400, 'BadRequest'],
    ['not a list', '{"op":"add"}', 400, 'BadRequest'],
    ['too many operations', JSON.stringify(Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }))), 413, 'RequestEntityTooLarge'],
  ])('%s is %i', (_n, body, code, reason) => {
    expect(errorOf(() => applyPatch('Pod', pod(), 'json', body as string))).toMatchObject({ code, reason });
  });
});

describe('merge patch', () => {
  it('merges maps, deletes nulls, replaces arrays', () => {
    const out = applyPatch('Pod', pod(), 'merge', JSON.stringify({ metadata: { labels: { a: null, c: '3' } }, spec: { containers: [{ name: 'z' }] } })) as AnyObj;
    expect(out.metadata.labels).toEqual({ b: '2', c: '3' });
    expect(out.spec.containers).toEqual([{ name: 'z' }]);
    expect(out.spec.nodeSelector).toEqual({ x: 'y' });
  });

  it.each([
    ['invalid JSON', '{', 400],
    ['array body', '[]', 400],
  ])('%s is %i', (_n, body, code) => expect(errorOf(() => applyPatch('Pod', pod(), 'merge', body))).toMatchObject({ code, reason: 'BadRequest' }));
});

describe('apply (simplified server-side apply)', () => {
  const yamlBody = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    c: "3"
spec:
  containers:
  - name: c
    image: i9
`;
  it('merges YAML into the live object with strategic semantics', () => {
    const out = applyPatch('Pod', pod(), 'apply', yamlBody) as AnyObj;
    expect(out.metadata.labels).toEqual({ a: '1', b: '2', c: '3' });
    expect(out.spec.containers).toEqual([{ name: 'c', image: 'i9' }]);
  });

  it('creates from an empty object (JSON body)', () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } });
    expect(applyPatch('ConfigMap', {}, 'apply', body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } });
  });

  it.each([
    ['missing kind', 'apiVersion: v1\nmetadata: {name: p}\n'],
    ['missing apiVersion', 'kind: Pod\nmetadata: {name: p}\n'],
    ['missing name', 'apiVersion: v1\nkind: Pod\nmetadata: {}\n'],
    ['wrong kind', 'apiVersion: v1\nkind: Service\nmetadata: {name: p}\n'],
    ['not a map', '- a\n- b\n'],
    ['two documents', 'apiVersion: v1\nkind: Pod\n---\napiVersion: v1\n'],
    ['alias bomb', 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'],
    ['deep flow nesting', 'a: ' + '['.repeat(150) + ']'.repeat(150) + '\n'],
    ['deep block nesting', Array.from({ length: 120 }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' v\n'],
  ])('%s is 400', (_n, body) => {
    expect(errorOf(() => applyPatch('Pod', pod(), 'apply', body))).toMatchObject({ code: 400, reason: 'BadRequest' });
  });
});

describe('parseJsonBody', () => {
  it('parses ordinary JSON', () => expect(parseJsonBody('{"a":[1,{"b":"[[["}]}')).toEqual({ a: [1, { b: '[[[' }] }));
  it.each([
    ['nesting deeper than 100', '['.repeat(101) + ']'.repeat(101), /nested deeper than the maximum depth of 100/],
    ['bad JSON', '{"a":', /^error decoding body: /],
  ])('%s is 400', (_n, text, message) => {
    const err = errorOf(() => parseJsonBody(text));
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(err.message).toMatch(message);
  });
  it('drops __proto__ keys so merging cannot swap prototypes', () => {
    const out = applyPatch('Pod', pod(), 'merge', '{"spec":{"__proto__":{"polluted":true}}}') as AnyObj;
    expect(Object.getPrototypeOf(out.spec)).toBe(Object.prototype);
    expect(out.spec.polluted).toBeUndefined();
    const viaYaml = applyPatch('Pod', pod(), 'apply', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  __proto__: {polluted: true}\n') as AnyObj;
    expect(Object.getPrototypeOf(viaYaml.spec)).toBe(Object.prototype);
    expect(viaYaml.spec.polluted).toBeUndefined();
    const viaSmp = applyPatch('Pod', pod(), 'strategic', '{"metadata":{"__proto__":{"polluted":true}}}') as AnyObj;
    expect(viaSmp.metadata.polluted).toBeUndefined();
    expect(({} as AnyObj).polluted).toBeUndefined();
  });
  it('accepts exactly 100 levels', () => expect(() => parseJsonBody('['.repeat(100) + ']'.repeat(100))).not.toThrow());
});
