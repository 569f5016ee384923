import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextRows, runSetContext, runUseContext, readKubeconfig } from './config.js';
import { parsePatchText } from './patch.js';

const KC = `apiVersion: v1
kind: Config
clusters: [{name: c1, cluster: {server: https://x}}]
users: [{name: u1, user: {token: t}}]
contexts:
- {name: a, context: {cluster: c1, user: u1}}
- {name: b, context: {cluster: c1, user: u1, namespace: prod}}
current-context: a
`;

function fresh(): string {
  const p = join(mkdtempSync(join(tmpdir(), 'mkctl-kc-')), 'config');
  writeFileSync(p, KC);
  return p;
}

describe('config commands', () => {
  it('lists contexts with the current one starred', () => {
    expect(contextRows(readKubeconfig(fresh()))).toEqual([
      ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'],
      ['*', 'a', 'c1', 'u1', ''],
      ['', 'b', 'c1', 'u1', 'prod'],
    ]);
  });

  it.each([
    { name: 'use-context switches', run: (p: string) => runUseContext(p, 'b', () => {}), check: (doc: ReturnType<typeof readKubeconfig>) => doc['current-context'] === 'b' },
    {
      name: 'set-context --current --namespace',
      run: (p: string) => runSetContext(p, undefined, { current: true, namespace: 'dev' }, () => {}),
      check: (doc: ReturnType<typeof readKubeconfig>) => doc.contexts?.[0]?.context.namespace === 'dev',
    },
  ])('$name', ({ run, check }) => {
    const p = fresh();
    expect(run(p)).toBe(0);
    expect(check(readKubeconfig(p))).toBe(true);
    expect(readFileSync(p, 'utf8')).toContain('token: t');
  });

  it.each([
    { name: 'unknown context', run: (p: string) => runUseContext(p, 'zz', () => {}), err: 'no context exists with the name: "zz"' },
    { name: 'no name and no --current', run: (p: string) => runSetContext(p, undefined, {}, () => {}), err: 'you must specify a context name or --current' },
    { name: 'no kubeconfig', run: () => runUseContext(undefined, 'a', () => {}), err: /no kubeconfig found/ },
  ])('rejects $name', ({ run, err }) => expect(() => run(fresh())).toThrow(err));
});

describe('parsePatchText', () => {
  it.each([
    { text: '{"spec":{"replicas":2}}', want: { spec: { replicas: 2 } } },
    { text: 'spec: {replicas: 2}', want: { spec: { replicas: 2 } } },
    { text: '[{"op":"remove","path":"/a"}]', want: [{ op: 'remove', path: '/a' }] },
  ])('$text', ({ text, want }) => expect(parsePatchText(text)).toEqual(want));
  it('rejects garbage', () => expect(() => parsePatchText('{"a":')).toThrow(/unable to parse/));
});
