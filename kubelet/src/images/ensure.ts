/**
 * Local images built without a registry: `docker import` of a rootfs tarball.
 *
 * - `ensurePauseImage` compiles deploy/images/pause/pause.c with `gcc -static -O2` and
 *   imports it as the pause image (ENTRYPOINT ["/pause"]) when the image is missing.
 * - `ensureBusyboxImage` stages a busybox rootfs (/bin/busybox, one symlink per applet,
 *   /tmp, minimal /etc/passwd) and imports it (CMD ["sh"]) when missing.
 * Both are idempotent and safe to call from several processes: a lost race only
 * re-imports the same content under the same tag. deploy/images/build-test-images.sh
 * does the same from a shell.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, mkdir, chmod, copyFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type Docker from 'dockerode';

const run = promisify(execFile);

/** deploy/images/pause/pause.c of this checkout (kubelet/dist/images -> repo root). */
export const DEFAULT_PAUSE_SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../deploy/images/pause/pause.c');
export const DEFAULT_PAUSE_IMAGE = 'mk8s/pause:3.9';
export const DEFAULT_BUSYBOX_IMAGE = 'mk8s/busybox:1';

export async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/** Splits `repo:tag` (a registry port colon is not a tag separator). */
export function splitImageRef(image: string): { repo: string; tag: string } {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { repo: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repo: image, tag: 'latest' };
}

/** Imports the directory `root` as image `image` with Dockerfile-style `changes`. */
export async function importRootfs(docker: Docker, root: string, image: string, changes: string[]): Promise<void> {
  const tar = spawn('tar', ['-C', root, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let tarErr = '';
  tar.stderr.on('data', (c: Buffer) => (tarErr += c.toString()));
  const tarDone = new Promise<void>((res, rej) =>
    tar.on('close', (code) => (code === 0 ? res() : rej(new Error(`tar failed (${code}): ${tarErr.trim()}`)))),
  );
  const { repo, tag } = splitImageRef(image);
  const stream = (await docker.importImage(tar.stdout as unknown as string, { repo, tag, changes })) as NodeJS.ReadableStream;
  await new Promise<void>((res, rej) =>
    docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => {
      const failed = out?.find((o) => o.error);
      if (err) rej(err);
      else if (failed) rej(new Error(`docker import ${image}: ${failed.error}`));
      else res();
    }),
  );
  await tarDone;
}

export async function buildPauseImage(docker: Docker, image: string, source: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mk8s-pause-'));
  try {
    await run('gcc', ['-static', '-O2', '-o', join(dir, 'pause'), source]);
    await importRootfs(docker, dir, image, ['ENTRYPOINT ["/pause"]']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function ensurePauseImage(docker: Docker, image = DEFAULT_PAUSE_IMAGE, source = DEFAULT_PAUSE_SOURCE): Promise<boolean> {
  if (await imageExists(docker, image)) return false;
  await buildPauseImage(docker, image, source);
  return true;
}

export async function buildBusyboxImage(docker: Docker, image: string, busybox: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mk8s-busybox-'));
  try {
    for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'tmp', 'etc', 'root', 'proc', 'sys', 'dev', 'var/www', 'home']) {
      await mkdir(join(dir, d), { recursive: true });
    }
    await chmod(join(dir, 'tmp'), 0o1777);
    await copyFile(busybox, join(dir, 'bin/busybox'));
    await chmod(join(dir, 'bin/busybox'), 0o755);
    const { stdout } = await run(busybox, ['--list-full']);
    for (const applet of stdout.split('\n').map((s) => s.trim())) {
      if (!applet || applet === 'bin/busybox' || applet.includes('..')) continue;
      await mkdir(dirname(join(dir, applet)), { recursive: true });
      await symlink('/bin/busybox', join(dir, applet)).catch(() => undefined);
    }
    await writeFile(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
    await writeFile(join(dir, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
    await importRootfs(docker, dir, image, ['CMD ["sh"]']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function ensureBusyboxImage(docker: Docker, image = DEFAULT_BUSYBOX_IMAGE, busybox = '/usr/bin/busybox'): Promise<boolean> {
  if (await imageExists(docker, image)) return false;
  await buildBusyboxImage(docker, image, busybox);
  return true;
}
