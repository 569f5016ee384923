import { describe, it, expect } from 'vitest';
import { exitCodeFromStatus } from './exec.js';
import { buildDeployment, buildSecret, collectData, containerNameForImage } from './generators.js';
import { deleteOptionsFrom } from './delete.js';
import { exposeSource } from './expose.js';
import { apiResourceRows, redactKubeconfig } from './info.js';
import { parseDurationSeconds, podNameArg } from './logs.js';

describe('exitCodeFromStatus', () => {
  it.each([
    { name: 'success', s: { status: 'Success' as const }, want: { code: 0 } },
    { name: 'exit code 3', s: { status: 'Failure' as const, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }, want: { code: 3 } },
    { name: 'other failure', s: { status: 'Failure' as const, reason: 'InternalError', message: 'boom' }, want: { code: 1, error: 'boom' } },
  ])('$name', ({ s, want }) => expect(exitCodeFromStatus(s)).toEqual(want));
});

describe('generators', () => {
  it.each([
    { image: 'nginx', want: 'nginx' },
    { image: 'registry.local:5000/team/busybox:1.36', want: 'busybox' },
    { image: 'mk8s/test@sha256:abc', want: 'test' },
  ])('container name for $image', ({ image, want }) => expect(containerNameForImage(image)).toBe(want));

  it('builds a deployment with app labels', () => {
    const d = buildDeployment('web', 'default', { image: ['busybox'], replicas: '2', port: '80' });
    expect(d.spec.selector.matchLabels).toEqual({ app: 'web' });
    expect(d.spec.template.metadata?.labels).toEqual({ app: 'web' });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'busybox', image: 'busybox', ports: [{ containerPort: 80 }] });
  });

  it('base64-encodes secret data', () => {
    expect(buildSecret('s', 'default', { fromLiteral: ['a=b=c'] }).data).toEqual({ a: Buffer.from('b=c').toString('base64') });
  });

  it.each([
    { name: 'bad literal', opts: { fromLiteral: ['novalue'] }, err: /invalid literal source/ },
    { name: 'duplicate key', opts: { fromLiteral: ['a=1', 'a=2'] }, err: /already exists/ },
    { name: 'bad key', opts: { fromLiteral: ['a b=1'] }, err: /not a valid key name/ },
    { name: 'missing file', opts: { fromFile: ['/nonexistent/x'] }, err: /no such file/ },
  ])('rejects $name', ({ opts, err }) => expect(() => collectData(opts)).toThrow(err));
});

describe('deleteOptionsFrom', () => {
  it.each([
    { name: 'defaults', opts: {}, want: { propagationPolicy: 'Background' } },
    { name: 'force', opts: { force: true }, want: { propagationPolicy: 'Background', gracePeriodSeconds: 0 } },
    { name: 'grace 0 without force', opts: { gracePeriod: '0' }, want: { propagationPolicy: 'Background', gracePeriodSeconds: 1 } },
    { name: 'foreground', opts: { cascade: 'foreground', gracePeriod: '5' }, want: { propagationPolicy: 'Foreground', gracePeriodSeconds: 5 } },
    { name: 'cascade=false is orphan', opts: { cascade: 'false' }, want: { propagationPolicy: 'Orphan' } },
    { name: 'now', opts: { now: true }, want: { propagationPolicy: 'Background', gracePeriodSeconds: 1 } },
  ])('$name', ({ opts, want }) => expect(deleteOptionsFrom(opts)).toEqual(want));
  it('rejects a bad cascade', () => expect(() => deleteOptionsFrom({ cascade: 'sideways' })).toThrow(/invalid cascade/));
});

describe('exposeSource', () => {
  it.each([
    {
      name: 'deployment',
      obj: { kind: 'Deployment', metadata: {}, spec: { selector: { matchLabels: { app: 'w' } }, template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080 }] }] } } } },
      want: { selector: { app: 'w' }, port: 8080 },
    },
    { name: 'pod', obj: { kind: 'Pod', metadata: { labels: { run: 'p' } }, spec: { containers: [{ name: 'c' }] } }, want: { selector: { run: 'p' }, port: undefined } },
  ])('$name', ({ obj, want }) => expect(exposeSource(obj as never)).toEqual(want));
});

describe('info', () => {
  it('api-resources rows: core first, no subresources, sorted', () => {
    const rows = apiResourceRows([
      { groupVersion: 'apps/v1', resources: [{ name: 'deployments', namespaced: true, kind: 'Deployment', shortNames: ['deploy'], verbs: ['get'] }, { name: 'deployments/scale', namespaced: true, kind: 'Scale' }] },
      { groupVersion: 'v1', resources: [{ name: 'pods', namespaced: true, kind: 'Pod', shortNames: ['po'], verbs: ['get'] }, { name: 'nodes', namespaced: false, kind: 'Node', verbs: ['get'] }] },
    ]);
    expect(rows).toEqual([
      ['nodes', '', 'v1', 'false', 'Node'],
      ['pods', 'po', 'v1', 'true', 'Pod'],
      ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
    ]);
  });
  it('redacts kubeconfig secrets', () => {
    const out = redactKubeconfig({ clusters: [{ cluster: { 'certificate-authority-data': 'AAA' } }], users: [{ user: { token: 'secret' } }] }, false);
    expect(JSON.stringify(out)).not.toMatch(/secret|AAA/);
  });
});

describe('logs args', () => {
  it.each([
    { arg: 'web', want: 'web' },
    { arg: 'pod/web', want: 'web' },
    { arg: 'po/web', want: 'web' },
  ])('$arg', ({ arg, want }) => expect(podNameArg(arg)).toBe(want));
  it('rejects other kinds', () => expect(() => podNameArg('deploy/web')).toThrow(/only pods/));
  it.each([
    { s: '10', want: 10 },
    { s: '2m', want: 120 },
    { s: '1h', want: 3600 },
  ])('duration $s', ({ s, want }) => expect(parseDurationSeconds(s)).toBe(want));
});

import { compareSortValues, sortKeyFor } from './get.js';

describe('--sort-by', () => {
  const objs = [{ metadata: { name: 'b' }, spec: { replicas: 10 } }, { metadata: { name: 'a' } }, { metadata: { name: 'c' }, spec: { replicas: 2 } }];
  it.each([
    { expr: '.metadata.name', want: ['a', 'b', 'c'] },
    { expr: '{.spec.replicas}', want: ['a', 'c', 'b'] },
  ])('$expr', ({ expr, want }) => {
    const key = sortKeyFor(expr);
    expect([...objs].sort((x, y) => compareSortValues(key(x), key(y))).map((o) => o.metadata.name)).toEqual(want);
  });
  it('rejects a bad path', () => expect(() => sortKeyFor('.a[?(@)]')).toThrow(/couldn't parse --sort-by/));
});
