import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerMounts, resolveSubPath } from './volumes.js';

let root: string;
let vol: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mk8s-subpath-'));
  vol = join(root, 'vol');
  mkdirSync(join(vol, 'dir', 'inner'), { recursive: true });
  writeFileSync(join(vol, 'file'), 'x');
  symlinkSync('/etc', join(vol, 'abs-escape'));
  symlinkSync('../..', join(vol, 'dir', 'rel-escape'));
  symlinkSync('inner', join(vol, 'dir', 'ok-link'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveSubPath', () => {
  it.each([
    { name: 'plain directory', sub: 'dir', want: 'dir' },
    { name: 'file', sub: 'file', want: 'file' },
    { name: 'symlink inside the volume', sub: 'dir/ok-link', want: 'dir/inner' },
    { name: 'missing path is created', sub: 'new/deeper', want: 'new/deeper' },
  ])('accepts $name', async ({ sub, want }) => {
    expect(await resolveSubPath(vol, sub)).toBe(join(vol, want));
    expect(existsSync(join(vol, want))).toBe(true);
  });

  it.each([
    { name: 'absolute path', sub: '/etc' },
    { name: 'dot-dot', sub: '../x' },
    { name: 'dot-dot in the middle', sub: 'dir/../../x' },
    { name: 'absolute symlink', sub: 'abs-escape' },
    { name: 'relative symlink out', sub: 'dir/rel-escape' },
    { name: 'through an escaping symlink', sub: 'abs-escape/newdir' },
  ])('refuses $name', async ({ sub }) => {
    await expect(resolveSubPath(vol, sub)).rejects.toMatchObject({ reason: 'CreateContainerConfigError' });
    expect(existsSync('/etc/newdir')).toBe(false);
  });
});

describe('containerMounts', () => {
  it('binds volumes with readOnly and subPath', async () => {
    const vols = new Map([
      ['v', { hostPath: vol, readOnly: false }],
      ['cfg', { hostPath: join(vol, 'dir'), readOnly: true }],
    ]);
    const mounts = await containerMounts(
      { name: 'c', volumeMounts: [{ name: 'v', mountPath: '/a', subPath: 'dir', readOnly: true }, { name: 'v', mountPath: '/b' }, { name: 'cfg', mountPath: '/c' }] },
      vols,
    );
    expect(mounts).toEqual([
      { Type: 'bind', Source: join(vol, 'dir'), Target: '/a', ReadOnly: true },
      { Type: 'bind', Source: vol, Target: '/b', ReadOnly: false },
      { Type: 'bind', Source: join(vol, 'dir'), Target: '/c', ReadOnly: true },
    ]);
  });

  it('refuses a mount of an undeclared volume', async () => {
    await expect(containerMounts({ name: 'c', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, new Map())).rejects.toThrow('volume "nope" not found');
  });
});
