/**
 * Pod volumes on the host and their mounts into containers.
 *
 * Layout: <rootDir>/pods/<uid>/volumes/<kind>/<name>. emptyDir is a directory there
 * (medium Memory: a tmpfs mounted on it); configMap and secret volumes are files written
 * there (secrets on tmpfs too), and so are projected volumes (projected.ts, on tmpfs as they
 * may hold secrets and tokens; a kubelet that cannot mount, such as one in an unprivileged
 * container, keeps them as plain directories and warns); hostPath is the host path itself (DirectoryOrCreate and
 * FileOrCreate create it). configMap/secret/projected files are updated in place (volume-files.ts), so
 * the refresher can change them under running containers; persistentVolumeClaim, nfs and
 * downwardAPI volumes are prepared by volume-sources.ts. Everything under the pod dir is
 * removed by `teardownPodDir`.
 * `containerMounts` resolves subPath safely: absolute paths and `..` are refused, and each
 * existing component is checked so a symlink cannot lead outside the volume; a refusal
 * throws ContainerConfigError. `setupVolumes` is idempotent (called on every sync).
 */
import { execFile } from 'node:child_process';
import { lstat, mkdir, readFile, realpath, rm, open } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import type { Container, Pod } from '@mk8s/shared';
import { ContainerConfigError, type EnvSources } from './env.js';
import { projectedFiles } from './projected.js';
import type { TokenManager } from './token-manager.js';
import { configMapFiles, secretFiles, syncFiles } from './volume-files.js';
import { setupOtherVolume } from './volume-sources.js';

const run = promisify(execFile);

export const podDir = (rootDir: string, uid: string): string => join(rootDir, 'pods', uid);

/** A Docker named volume (driver + options), mounted by Docker itself (e.g. nfs) */
export interface DockerVolume {
  name: string;
  driver: string;
  options: Record<string, string>;
  /** labels on the volume (node, pod uid), so the kubelet can remove those of gone pods */
  labels?: Record<string, string>;
}

export interface PreparedVolume {
  hostPath: string;
  readOnly: boolean;
  /** set: mount this Docker volume instead of binding hostPath */
  dockerVolume?: DockerVolume;
}

async function isMountPoint(path: string): Promise<boolean> {
  const mounts = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  return mounts.split('\n').some((l) => l.split(' ')[1] === path);
}

/** Why tmpfs mounts are not possible here (no `mount`, or no privilege: a kubelet in an unprivileged container); undefined while they work. */
let tmpfsUnavailable: string | undefined;

/**
 * Mounts a tmpfs on `dir`. Where mounting is impossible the volume stays a plain directory on
 * the node's disk (warned once): it still works, without the memory backing.
 */
async function mountTmpfs(dir: string, log?: VolumeLogger): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (tmpfsUnavailable || (await isMountPoint(dir))) return;
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'mode=0777', 'tmpfs', dir]);
  } catch (err) {
    const e = err as { code?: unknown; stderr?: unknown; message?: string };
    tmpfsUnavailable = String(e.stderr || e.message || e.code).trim();
    log?.warn({ reason: tmpfsUnavailable }, 'cannot mount tmpfs: memory-backed volumes (secrets, projected tokens, emptyDir medium Memory) are plain directories on this node');
  }
}

export interface VolumeLogger {
  warn(obj: object, msg: string): void;
}

/** Creates every volume of the pod on the host; returns them by name. */
export async function setupVolumes(pod: Pod, rootDir: string, sources: EnvSources, tokens?: TokenManager, log?: VolumeLogger): Promise<Map<string, PreparedVolume>> {
  const uid = pod.metadata.uid ?? '';
  const ns = pod.metadata.namespace ?? 'default';
  const base = join(podDir(rootDir, uid), 'volumes');
  const out = new Map<string, PreparedVolume>();
  for (const v of pod.spec.volumes ?? []) {
    if (v.emptyDir) {
      const dir = join(base, 'empty-dir', v.name);
      if (v.emptyDir.medium === 'Memory') await mountTmpfs(dir, log);
      else await mkdir(dir, { recursive: true, mode: 0o777 });
      out.set(v.name, { hostPath: dir, readOnly: false });
    } else if (v.hostPath) {
      const p = v.hostPath.path;
      const type = v.hostPath.type ?? '';
      if (type === 'DirectoryOrCreate') await mkdir(p, { recursive: true });
      else if (type === 'FileOrCreate') {
        await mkdir(dirname(p), { recursive: true });
        await (await open(p, 'a')).close();
      } else if (type === 'Directory' || type === 'File') {
        const st = await lstat(p).catch(() => undefined);
        if (!st || (type === 'Directory' ? !st.isDirectory() : !st.isFile())) {
          throw new ContainerConfigError(`hostPath type check failed: ${p} is not a ${type.toLowerCase()}`);
        }
      }
      out.set(v.name, { hostPath: p, readOnly: false });
    } else if (v.configMap) {
      const cm = await sources.configMap(ns, v.configMap.name ?? '');
      if (!cm && !v.configMap.optional) throw new ContainerConfigError(`configmap "${v.configMap.name}" not found`);
      const dir = join(base, 'configmap', v.name);
      await syncFiles(dir, configMapFiles(cm, v.configMap));
      out.set(v.name, { hostPath: dir, readOnly: true });
    } else if (v.secret) {
      const s = await sources.secret(ns, v.secret.secretName ?? '');
      if (!s && !v.secret.optional) throw new ContainerConfigError(`secret "${v.secret.secretName}" not found`);
      const dir = join(base, 'secret', v.name);
      await mountTmpfs(dir, log);
      await syncFiles(dir, secretFiles(s, v.secret));
      out.set(v.name, { hostPath: dir, readOnly: true });
    } else if (v.projected) {
      // files first: a missing source leaves no half-made volume behind
      const files = await projectedFiles(pod, v.projected, sources, tokens);
      const dir = join(base, 'projected', v.name);
      await mountTmpfs(dir, log);
      await syncFiles(dir, files);
      out.set(v.name, { hostPath: dir, readOnly: true });
    } else {
      const other = await setupOtherVolume(pod, v, base, sources);
      if (!other) throw new ContainerConfigError(`volume "${v.name}": unsupported volume type`);
      out.set(v.name, other);
    }
  }
  return out;
}

const within = (root: string, p: string): boolean => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * The host path of `subPath` inside volume root `root`, created as a directory when
 * missing. Refuses absolute paths, `..` and symlinks resolving outside the volume.
 */
export async function resolveSubPath(root: string, subPath: string): Promise<string> {
  if (isAbsolute(subPath) || subPath.split(/[\\/]/).includes('..')) {
    throw new ContainerConfigError(`subPath "${subPath}" must be a relative path without '..'`);
  }
  const realRoot = await realpath(root);
  let cur = realRoot;
  for (const comp of subPath.split('/').filter((s) => s && s !== '.')) {
    const next = join(cur, comp);
    const st = await lstat(next).catch(() => undefined);
    if (!st) {
      await mkdir(next);
      cur = next;
      continue;
    }
    cur = st.isSymbolicLink() ? await realpath(next).catch(() => next) : next;
    if (!within(realRoot, cur)) throw new ContainerConfigError(`subPath "${subPath}" escapes its volume`);
  }
  const final = await realpath(cur);
  if (!within(realRoot, final)) throw new ContainerConfigError(`subPath "${subPath}" escapes its volume`);
  return final;
}

export async function containerMounts(c: Container, volumes: ReadonlyMap<string, PreparedVolume>): Promise<Docker.MountSettings[]> {
  const mounts: Docker.MountSettings[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const vol = volumes.get(vm.name);
    if (!vol) throw new ContainerConfigError(`volume "${vm.name}" not found in pod spec`);
    if (vol.dockerVolume) {
      if (vm.subPath) throw new ContainerConfigError(`volume "${vm.name}": subPath is not supported on nfs volumes`);
      const dv = vol.dockerVolume;
      const VolumeOptions = { DriverConfig: { Name: dv.driver, Options: dv.options }, ...(dv.labels ? { Labels: dv.labels } : {}) } as unknown as Docker.MountSettings['VolumeOptions'];
      mounts.push({ Type: 'volume', Source: dv.name, Target: vm.mountPath, ReadOnly: vm.readOnly === true || vol.readOnly, VolumeOptions });
      continue;
    }
    const source = vm.subPath ? await resolveSubPath(vol.hostPath, vm.subPath) : vol.hostPath;
    mounts.push({ Type: 'bind', Source: source, Target: vm.mountPath, ReadOnly: vm.readOnly === true || vol.readOnly });
  }
  return mounts;
}

/** Unmounts tmpfs volumes and removes the pod directory. */
export async function teardownPodDir(rootDir: string, uid: string): Promise<void> {
  await removeDirWithMounts(podDir(rootDir, uid));
}

/** Lazily unmounts every mount below `dir`, then removes it. */
export async function removeDirWithMounts(dir: string): Promise<void> {
  const mounts = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  const inside = mounts
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((p) => p.startsWith(dir + sep));
  for (const p of inside) await run('umount', ['-l', p]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
