import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifests, readManifests } from './manifests.js';

const names = (text: string): string[] => parseManifests(text, 'f.yaml').map((m) => `${m.obj.kind}/${m.obj.metadata.name ?? ''}`);

describe('parseManifests', () => {
  it.each([
    { name: 'single YAML', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n', want: ['Pod/a'] },
    {
      name: 'multi-document with empty docs',
      text: '---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n',
      want: ['Pod/a', 'Service/b'],
    },
    { name: 'JSON', text: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}', want: ['ConfigMap/c'] },
    {
      name: 'List kind flattened',
      text: '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}},{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"}}]}',
      want: ['Pod/a', 'Pod/b'],
    },
    { name: 'PodList flattened', text: 'apiVersion: v1\nkind: PodList\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: x}}\n', want: ['Pod/x'] },
    { name: 'comments only', text: '# nothing\n', want: [] },
  ])('$name', ({ text, want }) => expect(names(text)).toEqual(want));

  it.each([
    { name: 'syntax error', text: 'a: [1, 2\nb: }', err: /^error parsing f.yaml: / },
    { name: 'no kind', text: 'apiVersion: v1\nmetadata: {name: a}\n', err: /error validating "f.yaml": error validating data: \[kind not set\]/ },
    { name: 'no apiVersion or kind', text: 'metadata: {name: a}\n', err: /\[apiVersion not set, kind not set\]/ },
    { name: 'scalar document', text: 'hello\n', err: /not an object/ },
    { name: 'alias bomb', text: 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n', err: /./ },
  ])('rejects $name', ({ text, err }) => expect(() => parseManifests(text, 'f.yaml')).toThrow(err));
});

describe('readManifests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkctl-manifests-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n');
  writeFileSync(join(dir, 'sub', 'b.json'), '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"}}');
  writeFileSync(join(dir, 'notes.txt'), 'ignored');

  it.each([
    { name: 'folder recursively, skipping other files', paths: [dir], want: ['a', 'b'] },
    { name: 'single file', paths: [join(dir, 'a.yaml')], want: ['a'] },
    { name: 'stdin', paths: ['-'], want: ['s'] },
  ])('$name', async ({ paths, want }) => {
    const got = await readManifests(paths, async () => 'apiVersion: v1\nkind: Pod\nmetadata: {name: s}\n');
    expect(got.map((m) => m.obj.metadata.name)).toEqual(want);
  });

  it('reports a missing path', async () => {
    await expect(readManifests([join(dir, 'nope.yaml')])).rejects.toThrow(/does not exist/);
  });
});
