/**
 * A kubelet that cannot mount tmpfs (no `mount` binary, or an unprivileged container, as under
 * docker compose) still gives pods their memory-backed volumes, as plain directories, and says
 * so once. Here `mount` is taken off the PATH; this file runs in its own worker, so the
 * module's "tmpfs unavailable" state does not leak into other tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod, Secret } from '@mk8s/shared';
import { removeDirWithMounts, setupVolumes } from './volumes.js';

const root = mkdtempSync(join(tmpdir(), 'mk8s-no-tmpfs-'));
const emptyPath = mkdtempSync(join(tmpdir(), 'mk8s-no-mount-bin-'));
const savedPath = process.env.PATH;
afterAll(async () => {
  process.env.PATH = savedPath;
  await removeDirWithMounts(root);
  rmSync(emptyPath, { recursive: true, force: true });
});

const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: 'ns' }, data: { pw: Buffer.from('hunter2').toString('base64') } };
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'ns', uid: 'uid-no-tmpfs' },
  spec: {
    containers: [{ name: 'c' }],
    volumes: [
      { name: 'scratch', emptyDir: { medium: 'Memory' } },
      { name: 'creds', secret: { secretName: 'sec' } },
    ],
  },
};

describe('setupVolumes without tmpfs', () => {
  it('falls back to directories on disk and warns once', async () => {
    const warnings: string[] = [];
    const log = { warn: (_o: object, msg: string) => void warnings.push(msg) };
    process.env.PATH = emptyPath;
    const sources = { configMap: async () => undefined, secret: async () => secret };
    const vols = await setupVolumes(pod, root, sources, undefined, log);
    await setupVolumes(pod, root, sources, undefined, log);
    process.env.PATH = savedPath;

    const creds = vols.get('creds')!;
    expect(readFileSync(join(creds.hostPath, 'pw'), 'utf8')).toBe('hunter2');
    expect(vols.get('scratch')?.readOnly).toBe(false);
    const mounts = await readFile('/proc/self/mounts', 'utf8');
    expect(mounts).not.toContain(root);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot mount tmpfs/);
  });
});
