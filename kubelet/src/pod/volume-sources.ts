/**
 * Volume types beyond emptyDir and hostPath, prepared on the host for `setupVolumes`:
 *
 * - persistentVolumeClaim: claim -> bound PersistentVolume -> its hostPath (created for
 *   DirectoryOrCreate) or local path, or its nfs source. A claim that is missing, not yet
 *   bound, or bound to a volume the kubelet cannot mount throws ContainerConfigError, so the
 *   pod waits with that message and the sync retries.
 * - nfs (inline or through a PV): a Docker named volume of the `local` driver with
 *   `type=nfs`, `o=addr=<server>,<rw|ro>,nfsvers=4`, `device=:<path>`; Docker mounts it when
 *   the container starts, and a mount failure surfaces as the container's start error.
 * - downwardAPI: files from pod fields and container resources, kept current by the refresher.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PersistentVolume, Pod, Volume } from '@mk8s/shared';
import { ContainerConfigError, type EnvSources } from './env.js';
import { downwardFiles, syncFiles } from './volume-files.js';
import { LABEL_NODE, LABEL_POD_UID } from '../runtime/labels.js';
import type { DockerVolume, PreparedVolume } from './volumes.js';

export interface NfsSource {
  server: string;
  path: string;
  readOnly?: boolean;
}

/** The Docker named volume for an NFS export (the kernel's NFS client does the mount). */
export function nfsDockerVolume(name: string, nfs: NfsSource, readOnly: boolean, labels?: Record<string, string>): DockerVolume {
  const ro = readOnly || nfs.readOnly === true;
  return {
    name,
    ...(labels ? { labels } : {}),
    driver: 'local',
    options: { type: 'nfs', o: `addr=${nfs.server},${ro ? 'ro' : 'rw'},nfsvers=4`, device: `:${nfs.path}` },
  };
}

export const NFS_VOLUME_PREFIX = 'mk8s-nfs-';
const dockerVolumeName = (pod: Pod, v: Volume): string => `${NFS_VOLUME_PREFIX}${pod.metadata.uid ?? ''}-${v.name}`;
const volumeLabels = (pod: Pod): Record<string, string> => ({ [LABEL_NODE]: pod.spec.nodeName ?? '', [LABEL_POD_UID]: pod.metadata.uid ?? '' });

async function claimVolume(pod: Pod, v: Volume, sources: EnvSources): Promise<PreparedVolume> {
  const ns = pod.metadata.namespace ?? 'default';
  const claimName = v.persistentVolumeClaim?.claimName ?? '';
  const readOnly = v.persistentVolumeClaim?.readOnly === true;
  if (!sources.persistentVolumeClaim || !sources.persistentVolume) throw new ContainerConfigError('persistentVolumeClaim volumes are not supported here');
  const claim = await sources.persistentVolumeClaim(ns, claimName);
  if (!claim) throw new ContainerConfigError(`persistentvolumeclaim "${claimName}" not found`);
  const volumeName = claim.spec.volumeName;
  if (!volumeName || claim.status?.phase !== 'Bound') throw new ContainerConfigError(`persistentvolumeclaim "${claimName}" is not bound`);
  const pv: PersistentVolume | undefined = await sources.persistentVolume(volumeName);
  if (!pv) throw new ContainerConfigError(`persistentvolume "${volumeName}" of claim "${claimName}" not found`);
  if (pv.spec.claimRef?.uid && pv.spec.claimRef.uid !== claim.metadata.uid) throw new ContainerConfigError(`persistentvolume "${volumeName}" is bound to another claim`);
  if (pv.spec.hostPath) {
    const type = pv.spec.hostPath.type ?? '';
    if (type === 'DirectoryOrCreate' || type === '') await mkdir(pv.spec.hostPath.path, { recursive: true });
    return { hostPath: pv.spec.hostPath.path, readOnly };
  }
  if (pv.spec.local) return { hostPath: pv.spec.local.path, readOnly };
  if (pv.spec.nfs) return { hostPath: '', readOnly, dockerVolume: nfsDockerVolume(dockerVolumeName(pod, v), pv.spec.nfs, readOnly, volumeLabels(pod)) };
  throw new ContainerConfigError(`persistentvolume "${volumeName}" has no volume source this kubelet can mount (hostPath, local, nfs)`);
}

/** Prepares a volume that is not emptyDir, hostPath, configMap or secret; undefined = not one of ours. */
export async function setupOtherVolume(pod: Pod, v: Volume, baseDir: string, sources: EnvSources): Promise<PreparedVolume | undefined> {
  if (v.persistentVolumeClaim) return claimVolume(pod, v, sources);
  if (v.nfs) return { hostPath: '', readOnly: v.nfs.readOnly === true, dockerVolume: nfsDockerVolume(dockerVolumeName(pod, v), v.nfs, false, volumeLabels(pod)) };
  if (v.downwardAPI) {
    const dir = join(baseDir, 'downward-api', v.name);
    await syncFiles(dir, downwardFiles(pod, v.downwardAPI, pod.spec.nodeName ?? ''));
    return { hostPath: dir, readOnly: true };
  }
  return undefined;
}
