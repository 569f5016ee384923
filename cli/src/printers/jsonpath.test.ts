import { describe, it, expect } from 'vitest';
import { jsonpath } from './jsonpath.js';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'web' } }, spec: { containers: [{ name: 'c1' }, { name: 'c2' }] } },
    { metadata: { name: 'b' }, spec: { containers: [{ name: 'd1' }] } },
  ],
};

describe('jsonpath', () => {
  it.each([
    { name: 'simple field', tpl: '{.kind}', want: 'List' },
    { name: 'wildcard joins with space', tpl: '{.items[*].metadata.name}', want: 'a b' },
    { name: 'index', tpl: '{.items[1].metadata.name}', want: 'b' },
    { name: 'negative index', tpl: '{.items[-1].metadata.name}', want: 'b' },
    { name: 'literal text around', tpl: 'names: {.items[0].metadata.name}!', want: 'names: a!' },
    { name: 'range with newline literal', tpl: '{range .items[*]}{.metadata.name}{"\\n"}{end}', want: 'a\nb\n' },
    { name: 'range without a space', tpl: '{range.items[*]}{.metadata.name};{end}', want: 'a;b;' },
    { name: 'nested range', tpl: '{range .items[*]}{range .spec.containers[*]}{.name},{end};{end}', want: 'c1,c2,;d1,;' },
    { name: 'escaped dots in key', tpl: '{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', want: 'web' },
    { name: 'quoted bracket key', tpl: "{.items[0].metadata.labels['app.kubernetes.io/name']}", want: 'web' },
    { name: 'missing key is empty', tpl: '{.items[1].metadata.labels.x}', want: '' },
    { name: 'objects render as JSON', tpl: '{.items[0].metadata.labels}', want: '{"app.kubernetes.io/name":"web"}' },
    { name: 'root $', tpl: '{$.kind}', want: 'List' },
  ])('$name', ({ tpl, want }) => expect(jsonpath(tpl, list)).toBe(want));

  it.each([
    { name: 'unclosed', tpl: '{.a' },
    { name: 'end without range', tpl: '{end}' },
    { name: 'range without end', tpl: '{range .items[*]}x' },
    { name: 'bad bracket', tpl: '{.items[?(@.x)]}' },
  ])('rejects $name', ({ tpl }) => expect(() => jsonpath(tpl, list)).toThrow());
});

import { customColumnRows, goFormat, parseCustomColumns, parseOutput } from './output.js';

describe('custom-columns', () => {
  const objs = list.items as never[];
  it.each([
    { spec: 'NAME:.metadata.name', want: [['NAME'], ['a'], ['b']] },
    { spec: 'N:{.metadata.name},C:.spec.containers[*].name', want: [['N', 'C'], ['a', 'c1,c2'], ['b', 'd1']] },
    { spec: 'L:.metadata.labels', want: [['L'], ['map[app.kubernetes.io/name:web]'], ['<none>']] },
  ])('$spec', ({ spec, want }) => expect(customColumnRows(objs, parseCustomColumns(spec))).toEqual(want));
  it.each(['', 'nocolon', 'X:.a[?(@)]'])('rejects %j', (spec) => expect(() => parseCustomColumns(spec)).toThrow());
  it.each([
    { v: { b: [1, 'x'], a: true }, want: 'map[a:true b:[1 x]]' },
    { v: null, want: '<nil>' },
  ])('goFormat $want', ({ v, want }) => expect(goFormat(v)).toBe(want));
  it('parseOutput knows custom-columns', () => expect(parseOutput('custom-columns=A:.a').kind).toBe('custom-columns'));
});
