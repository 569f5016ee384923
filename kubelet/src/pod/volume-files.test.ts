import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigMap, Container, Pod, Secret } from '@mk8s/shared';
import { resourceFieldValue } from './downward.js';
import { configMapFiles, downwardFiles, secretFiles, syncFiles } from './volume-files.js';
import { nfsDockerVolume } from './volume-sources.js';
import { containerMounts } from './volumes.js';

const root = mkdtempSync(join(tmpdir(), 'mk8s-volfiles-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, data: { a: 'A', b: 'B' } };
const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { pw: Buffer.from('hunter2').toString('base64') } };
const text = (m: Map<string, { content: Buffer; mode: number }>): Record<string, string> =>
  Object.fromEntries([...m].map(([k, v]) => [k, `${v.content.toString()}:${v.mode.toString(8)}`]));

describe('file sets', () => {
  it.each([
    { name: 'all keys, default mode', files: configMapFiles(cm, {}), want: { a: 'A:644', b: 'B:644' } },
    { name: 'items with paths and modes', files: configMapFiles(cm, { items: [{ key: 'a', path: 'dir/x', mode: 0o600 }], defaultMode: 0o640 }), want: { 'dir/x': 'A:600' } },
    { name: 'defaultMode', files: configMapFiles(cm, { defaultMode: 0o400, items: [{ key: 'b', path: 'b' }] }), want: { b: 'B:400' } },
    { name: 'missing optional configmap', files: configMapFiles(undefined, { optional: true }), want: {} },
    { name: 'missing key of an optional configmap is skipped', files: configMapFiles(cm, { optional: true, items: [{ key: 'nope', path: 'x' }, { key: 'b', path: 'y' }] }), want: { y: 'B:644' } },
    { name: 'missing key of an optional secret is skipped', files: secretFiles(secret, { optional: true, items: [{ key: 'nope', path: 'x' }] }), want: {} },
    { name: 'secret decoded', files: secretFiles(secret, {}), want: { pw: 'hunter2:644' } },
  ])('$name', ({ files, want }) => expect(text(files)).toEqual(want));

  it('a listed key that is missing is a config error', () => {
    expect(() => configMapFiles(cm, { items: [{ key: 'nope', path: 'x' }] })).toThrow(/couldn't find key nope/);
  });

  it('downward API files', () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', labels: { b: '2', a: '1' } },
      spec: { nodeName: 'n1', containers: [{ name: 'c', resources: { limits: { memory: '64Mi' } } }] },
    };
    const files = downwardFiles(pod, { items: [
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
    ] }, 'n1');
    expect(text(files)).toEqual({ name: 'p:644', labels: 'a="1"\nb="2":644', mem: '64:644' });
  });
});

describe('syncFiles', () => {
  it('writes, updates in place and removes stale files without replacing the directory', async () => {
    const dir = join(root, 'v1');
    expect(await syncFiles(dir, configMapFiles(cm, {}))).toBe(true);
    const ino = statSync(dir).ino;
    expect(await syncFiles(dir, configMapFiles(cm, {}))).toBe(false);
    expect(await syncFiles(dir, configMapFiles({ ...cm, data: { a: 'A2' } }, {}))).toBe(true);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A2');
    expect(existsSync(join(dir, 'b'))).toBe(false);
    expect(statSync(dir).ino).toBe(ino);
  });
});

describe('resourceFieldValue', () => {
  const c: Container = { name: 'c', resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } } };
  it.each([
    ['limits.cpu', undefined, '1'],
    ['limits.cpu', '1m', '500'],
    ['requests.cpu', '1m', '250'],
    ['limits.memory', undefined, String(128 * 1024 * 1024)],
    ['limits.memory', '1Mi', '128'],
    ['requests.memory', '1Mi', '128'],
  ])('%s divisor %s -> %s', (resource, divisor, want) => expect(resourceFieldValue(c, divisor ? { resource, divisor } : { resource })).toBe(want));
  it('refuses unknown resources', () => expect(() => resourceFieldValue(c, { resource: 'limits.gpu' })).toThrow(/unsupported/));
});

describe('nfs', () => {
  it.each([
    ['read-write', false, false, 'addr=10.0.0.5,rw,nfsvers=4'],
    ['readOnly in the source', true, false, 'addr=10.0.0.5,ro,nfsvers=4'],
    ['readOnly in the claim', false, true, 'addr=10.0.0.5,ro,nfsvers=4'],
  ])('%s', (_n, srcRo, ro, o) => {
    expect(nfsDockerVolume('vol', { server: '10.0.0.5', path: '/exports/a', readOnly: srcRo }, ro)).toEqual({
      name: 'vol',
      driver: 'local',
      options: { type: 'nfs', o, device: ':/exports/a' },
    });
  });
  it('mounts as a Docker volume with local-driver options', async () => {
    const vols = new Map([['data', { hostPath: '', readOnly: false, dockerVolume: nfsDockerVolume('mk8s-nfs-x', { server: 's', path: '/p' }, false) }]]);
    expect(await containerMounts({ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/mnt' }] }, vols)).toEqual([
      { Type: 'volume', Source: 'mk8s-nfs-x', Target: '/mnt', ReadOnly: false, VolumeOptions: { DriverConfig: { Name: 'local', Options: { type: 'nfs', o: 'addr=s,rw,nfsvers=4', device: ':/p' } } } },
    ]);
  });
});
