/**
 * VolumeRefresher: keeps the files of configMap, secret, downwardAPI and projected volumes of
 * running pods current (a projected serviceAccountToken is fetched again when the
 * TokenManager says it is due, and tokens of pods no longer here are dropped), as the kubelet's periodic volume sync does. Every `periodMs` it reads each
 * pod's sources again and rewrites changed files in place (volume-files.ts: write a temporary
 * file, rename), so containers see new contents in their bind-mounted directory. Only
 * volumes already set up (their directory exists) are touched; environment variables are
 * never changed (they were fixed when the container started). A source that has become
 * missing leaves the files as they were, and errors are logged and retried next period.
 * With `docker` and `nodeName` it also removes this node's nfs Docker volumes whose pod is
 * gone (Docker refuses while a container still uses one; the next period tries again).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { Logger, Pod, Volume } from '@mk8s/shared';
import { LABEL_NODE, LABEL_POD_UID } from '../runtime/labels.js';
import type { EnvSources } from './env.js';
import { projectedFiles } from './projected.js';
import type { TokenManager } from './token-manager.js';
import { configMapFiles, downwardFiles, secretFiles, syncFiles, type FileSet } from './volume-files.js';
import { podDir } from './volumes.js';

export interface VolumeRefresherOptions {
  rootDir: string;
  sources: EnvSources;
  tokens?: TokenManager;
  /** the pods this kubelet runs (informer view) */
  pods: () => Pod[];
  periodMs?: number;
  logger: Logger;
  docker?: Docker;
  nodeName?: string;
}

const exists = (p: string): Promise<boolean> => stat(p).then(
  () => true,
  () => false,
);

export class VolumeRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly o: VolumeRefresherOptions) {}

  start(): void {
    const tick = (): void => {
      this.running = this.refreshAll().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.o.periodMs ?? 10_000);
      });
    };
    this.timer = setTimeout(tick, this.o.periodMs ?? 10_000);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async refreshAll(): Promise<void> {
    await this.removeOrphanVolumes().catch((err: unknown) => this.o.logger.debug({ err: (err as Error).message }, 'volume cleanup failed'));
    const pods = this.o.pods();
    this.o.tokens?.prune(new Set(pods.map((p) => p.metadata.uid ?? '')));
    for (const pod of pods) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || pod.metadata.deletionTimestamp) continue;
      for (const v of pod.spec.volumes ?? []) {
        try {
          await this.refreshVolume(pod, v);
        } catch (err) {
          this.o.logger.debug({ pod: pod.metadata.name, volume: v.name, err: (err as Error).message }, 'volume refresh failed');
        }
      }
    }
  }

  /** Removes this node's labelled Docker volumes (nfs) whose pod the kubelet no longer runs. */
  async removeOrphanVolumes(): Promise<void> {
    const { docker, nodeName } = this.o;
    if (!docker || !nodeName) return;
    const live = new Set(this.o.pods().map((p) => p.metadata.uid));
    const res = await docker.listVolumes({ filters: { label: [`${LABEL_NODE}=${nodeName}`] } });
    for (const v of res.Volumes ?? []) {
      const uid = v.Labels?.[LABEL_POD_UID];
      if (!uid || live.has(uid)) continue;
      await docker
        .getVolume(v.Name)
        .remove()
        .then(() => this.o.logger.info({ volume: v.Name }, 'removed docker volume of a gone pod'))
        .catch(() => undefined);
    }
  }

  /** Rewrites one volume's files if they changed; true when something was written. */
  async refreshVolume(pod: Pod, v: Volume): Promise<boolean> {
    const base = join(podDir(this.o.rootDir, pod.metadata.uid ?? ''), 'volumes');
    const ns = pod.metadata.namespace ?? 'default';
    let dir: string;
    let files: FileSet;
    if (v.configMap) {
      dir = join(base, 'configmap', v.name);
      if (!(await exists(dir))) return false;
      const cm = await this.o.sources.configMap(ns, v.configMap.name ?? '');
      if (!cm && !v.configMap.optional) return false;
      files = configMapFiles(cm, v.configMap);
    } else if (v.secret) {
      dir = join(base, 'secret', v.name);
      if (!(await exists(dir))) return false;
      const s = await this.o.sources.secret(ns, v.secret.secretName ?? '');
      if (!s && !v.secret.optional) return false;
      files = secretFiles(s, v.secret);
    } else if (v.downwardAPI) {
      dir = join(base, 'downward-api', v.name);
      if (!(await exists(dir))) return false;
      files = downwardFiles(pod, v.downwardAPI, pod.spec.nodeName ?? '');
    } else if (v.projected) {
      dir = join(base, 'projected', v.name);
      if (!(await exists(dir))) return false;
      // a missing non-optional source or a failed token fetch throws: the files stay as they are
      files = await projectedFiles(pod, v.projected, this.o.sources, this.o.tokens);
    } else return false;
    const changed = await syncFiles(dir, files);
    if (changed) this.o.logger.info({ pod: `${ns}/${pod.metadata.name}`, volume: v.name }, 'volume files updated');
    return changed;
  }
}
