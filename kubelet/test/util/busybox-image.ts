/**
 * Test helper: make sure the busybox test image `mk8s/busybox:1` exists in the local Docker.
 * The project's build script (deploy/images/build-test-images.sh) normally builds it; when it has
 * not run yet, this builds an equivalent throwaway image with `docker import` of a rootfs holding
 * the host's static busybox as /bin/busybox plus one symlink per applet. An existing image is
 * never replaced.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, copyFile, symlink, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';

const run = promisify(execFile);

export const BUSYBOX_IMAGE = 'mk8s/busybox:1';

async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

export async function ensureBusyboxImage(docker: Docker, hostBusybox = '/usr/bin/busybox'): Promise<string> {
  if (await imageExists(docker, BUSYBOX_IMAGE)) return BUSYBOX_IMAGE;
  const dir = await mkdtemp(join(tmpdir(), 'mk8s-busybox-'));
  try {
    const root = join(dir, 'rootfs');
    for (const d of ['bin', 'tmp', 'etc', 'var/www', 'root']) await mkdir(join(root, d), { recursive: true });
    await chmod(join(root, 'tmp'), 0o1777);
    await copyFile(hostBusybox, join(root, 'bin/busybox'));
    await chmod(join(root, 'bin/busybox'), 0o755);
    const { stdout } = await run(hostBusybox, ['--list']);
    for (const applet of stdout.split('\n').map((s) => s.trim())) {
      if (!applet || applet === 'busybox') continue;
      await symlink('busybox', join(root, 'bin', applet));
    }
    const tarball = join(dir, 'rootfs.tar');
    await run('tar', ['-C', root, '-cf', tarball, '.']);
    // Another process may have built it meanwhile; importing again only retags, which is harmless.
    if (!(await imageExists(docker, BUSYBOX_IMAGE))) {
      await run('docker', ['import', '--change', 'CMD ["sh"]', '--change', 'ENV PATH=/bin', tarball, BUSYBOX_IMAGE]);
    }
    return BUSYBOX_IMAGE;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
