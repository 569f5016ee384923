import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger, type ConfigMap, type Pod, type Secret, type TokenRequest, type Volume } from '@mk8s/shared';
import type { EnvSources } from './env.js';
import { projectedFiles } from './projected.js';
import { TokenManager } from './token-manager.js';
import { VolumeRefresher } from './volume-refresh.js';
import { removeDirWithMounts, setupVolumes } from './volumes.js';

const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, data: { a: 'A', b: 'B' } };
const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: 'ns' }, data: { pw: Buffer.from('hunter2').toString('base64') } };
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'ns', uid: 'uid-1', labels: { app: 'web' } },
  spec: { nodeName: 'n1', containers: [{ name: 'c' }] },
};

const sourcesOf = (cms: ConfigMap[], secrets: Secret[]): EnvSources => ({
  configMap: async (ns, name) => cms.find((x) => x.metadata.namespace === ns && x.metadata.name === name),
  secret: async (ns, name) => secrets.find((x) => x.metadata.namespace === ns && x.metadata.name === name),
});
const sources = sourcesOf([cm], [secret]);

const tokens = (token = 'jwt-1') =>
  new TokenManager({
    request: async (_ns, _sa, body: TokenRequest) => ({ ...body, status: { token, expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() } }),
  });

const text = (m: Map<string, { content: Buffer; mode: number }>): Record<string, string> =>
  Object.fromEntries([...m].map(([k, v]) => [k, `${v.content.toString()}:${v.mode.toString(8)}`]));

type Projected = NonNullable<Volume['projected']>;

describe('projectedFiles', () => {
  it.each<{ name: string; src: Projected; want: Record<string, string> }>([
    {
      name: 'all keys of every source, default mode 0644',
      src: { sources: [{ configMap: { name: 'cfg' } }, { secret: { name: 'sec' } }] },
      want: { a: 'A:644', b: 'B:644', pw: 'hunter2:644' },
    },
    {
      name: 'items select and rename, per-item mode over defaultMode',
      src: {
        defaultMode: 0o440,
        sources: [{ configMap: { name: 'cfg', items: [{ key: 'a', path: 'conf/a.txt', mode: 0o600 }, { key: 'b', path: 'b.txt' }] } }, { secret: { name: 'sec', items: [{ key: 'pw', path: 'creds/password' }] } }],
      },
      want: { 'conf/a.txt': 'A:600', 'b.txt': 'B:440', 'creds/password': 'hunter2:440' },
    },
    {
      name: 'downwardAPI items',
      src: { defaultMode: 0o400, sources: [{ downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }, { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' }, mode: 0o644 }] } }] },
      want: { name: 'web:400', labels: 'app="web":644' },
    },
    {
      name: 'missing optional configMap and secret contribute nothing',
      src: { sources: [{ configMap: { name: 'nope', optional: true } }, { secret: { name: 'nope', optional: true } }, { configMap: { name: 'cfg', items: [{ key: 'a', path: 'a' }] } }] },
      want: { a: 'A:644' },
    },
    {
      name: 'a missing key of an optional source is skipped',
      src: { sources: [{ configMap: { name: 'cfg', optional: true, items: [{ key: 'zzz', path: 'z' }, { key: 'b', path: 'b' }] } }] },
      want: { b: 'B:644' },
    },
    {
      name: 'a later source wins at the same path',
      src: { sources: [{ configMap: { name: 'cfg', items: [{ key: 'a', path: 'x' }] } }, { secret: { name: 'sec', items: [{ key: 'pw', path: 'x' }] } }] },
      want: { x: 'hunter2:644' },
    },
    {
      name: 'service account token at its path with the defaultMode',
      src: { defaultMode: 0o420, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }, { configMap: { name: 'cfg', items: [{ key: 'a', path: 'ca.crt' }] } }] },
      want: { token: 'jwt-1:420', 'ca.crt': 'A:420' },
    },
  ])('$name', async ({ src, want }) => {
    expect(text(await projectedFiles(pod, src, sources, tokens()))).toEqual(want);
  });

  it.each<{ name: string; src: Projected; tokens?: TokenManager; error: string }>([
    { name: 'missing configMap', src: { sources: [{ configMap: { name: 'nope' } }] }, error: 'configmap "nope" not found' },
    { name: 'missing secret', src: { sources: [{ secret: { name: 'nope' } }] }, error: 'secret "nope" not found' },
    { name: 'missing key', src: { sources: [{ configMap: { name: 'cfg', items: [{ key: 'zzz', path: 'z' }] } }] }, error: "couldn't find key zzz in ConfigMap ns/cfg" },
    { name: 'no token manager', src: { sources: [{ serviceAccountToken: { path: 'token' } }] }, tokens: undefined, error: 'not supported' },
    {
      name: 'failed token request',
      src: { sources: [{ serviceAccountToken: { path: 'token' } }] },
      tokens: new TokenManager({ request: () => Promise.reject(new Error('serviceaccounts "default" not found')) }),
      error: 'failed to fetch token: serviceaccounts "default" not found',
    },
  ])('config error: $name', async ({ src, tokens: tm, error }) => {
    await expect(projectedFiles(pod, src, sources, tm)).rejects.toMatchObject({ reason: 'CreateContainerConfigError', message: expect.stringContaining(error) });
  });
});

describe('projected volume on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'mk8s-projected-'));
  afterAll(async () => {
    await removeDirWithMounts(root);
    rmSync(root, { recursive: true, force: true });
  });
  const vol: Volume = { name: 'all', projected: { sources: [{ configMap: { name: 'cfg', items: [{ key: 'a', path: 'a' }] } }, { serviceAccountToken: { path: 'token' } }] } };
  const p: Pod = { ...pod, spec: { ...pod.spec, volumes: [vol] } };

  it('is read-only, and the refresher rewrites changed files in place', async () => {
    const data = { ...cm, data: { a: 'A' } };
    const src = sourcesOf([data], []);
    let n = 0;
    const tm = new TokenManager({
      request: async (_ns, _sa, body) => ({ ...body, status: { token: `jwt-${++n}`, expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() } }),
    });
    const vols = await setupVolumes(p, root, src, tm);
    const dir = vols.get('all')?.hostPath ?? '';
    expect(vols.get('all')?.readOnly).toBe(true);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe('jwt-1');
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o644);
    const ino = statSync(dir).ino;

    data.data = { a: 'A2' };
    const refresher = new VolumeRefresher({ rootDir: root, sources: src, tokens: tm, pods: () => [p], logger: silentLogger() });
    expect(await refresher.refreshVolume(p, vol)).toBe(true);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A2');
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe('jwt-1');
    expect(statSync(dir).ino).toBe(ino);

    // a configMap that disappears leaves the files as they were
    const gone = new VolumeRefresher({ rootDir: root, sources: sourcesOf([], []), tokens: tm, pods: () => [p], logger: silentLogger() });
    await expect(gone.refreshVolume(p, vol)).rejects.toThrow('configmap "cfg" not found');
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A2');
  });

  it('the refresher drops the tokens of pods it no longer runs', async () => {
    const tm = tokens();
    await tm.token(p, { path: 'token' });
    const refresher = new VolumeRefresher({ rootDir: root, sources, tokens: tm, pods: () => [], logger: silentLogger() });
    await refresher.refreshAll();
    expect(tm.size()).toBe(0);
  });

  it('a missing non-optional source creates no volume directory', async () => {
    const other: Pod = { ...p, metadata: { ...p.metadata, uid: 'uid-2' } };
    await expect(setupVolumes(other, root, sourcesOf([], []), tokens())).rejects.toMatchObject({ reason: 'CreateContainerConfigError' });
    expect(() => statSync(join(root, 'pods', 'uid-2', 'volumes', 'projected', 'all'))).toThrow();
  });
});
