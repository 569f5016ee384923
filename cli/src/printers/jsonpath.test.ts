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
