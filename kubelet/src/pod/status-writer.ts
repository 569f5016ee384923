/**
 * Writes pod status through the `status` subresource, only when it changed: compared with
 * the pod as cached and with the last status this kubelet wrote for the uid (the cache may
 * lag our own writes). On Conflict it re-reads the pod and retries; a pod that is gone or
 * has a different uid is left alone.
 */
import { RESOURCES, isConflict, isNotFound, type ApiClient, type Logger, type Pod, type PodStatus } from '@mk8s/shared';
import { canonicalJson } from '../runtime/container-spec.js';

export class StatusWriter {
  private readonly lastWritten = new Map<string, string>();
  private readonly lastStatus = new Map<string, PodStatus>();

  constructor(
    private readonly client: ApiClient,
    private readonly logger: Logger,
  ) {}

  /** Returns true when a write happened. */
  async write(pod: Pod, status: PodStatus): Promise<boolean> {
    const uid = pod.metadata.uid ?? '';
    const want = canonicalJson(status);
    if (want === canonicalJson(pod.status ?? {}) || this.lastWritten.get(uid) === want) return false;
    const api = this.client.resource<Pod>(RESOURCES.pods);
    let cur = pod;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await api.updateStatus({ ...cur, status });
        this.lastWritten.set(uid, want);
        this.lastStatus.set(uid, status);
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        if (!isConflict(err)) throw err;
        try {
          cur = await api.get(pod.metadata.namespace, pod.metadata.name ?? '');
        } catch (getErr) {
          if (isNotFound(getErr)) return false;
          throw getErr;
        }
        if (cur.metadata.uid !== uid) return false;
        if (canonicalJson(cur.status ?? {}) === want) {
          this.lastWritten.set(uid, want);
          return false;
        }
      }
    }
    this.logger.warn({ pod: pod.metadata.name }, 'status write kept conflicting');
    return false;
  }

  /** The status this kubelet last wrote for the uid (newer than a lagging cache). */
  last(uid: string): PodStatus | undefined {
    return this.lastStatus.get(uid);
  }

  forget(uid: string): void {
    this.lastWritten.delete(uid);
    this.lastStatus.delete(uid);
  }
}
