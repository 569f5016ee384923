/**
 * Writes pod status through the `status` subresource, only when it changed: compared with
 * the pod as cached and with the last status this kubelet wrote for the uid (the cache may
 * lag our own writes). A cached pod newer than our last write whose status differs was
 * changed by someone else (the node lifecycle controller marking pods not ready while this
 * node was unreachable): that is written over, as the kubelet's status manager reconciles.
 * On Conflict it re-reads the pod and retries; a pod that is gone or has a different uid is
 * left alone.
 */
import { RESOURCES, isConflict, isNotFound, type ApiClient, type Logger, type Pod, type PodStatus } from '@mk8s/shared';
import { canonicalJson } from '../runtime/container-spec.js';

export class StatusWriter {
  /** per uid: the status JSON we last wrote and the resourceVersion that write made */
  private readonly lastWritten = new Map<string, { json: string; rv: number }>();
  private readonly lastStatus = new Map<string, PodStatus>();

  constructor(
    private readonly client: ApiClient,
    private readonly logger: Logger,
  ) {}

  /** Returns true when a write happened. */
  async write(pod: Pod, status: PodStatus): Promise<boolean> {
    const uid = pod.metadata.uid ?? '';
    const want = canonicalJson(status);
    if (want === canonicalJson(pod.status ?? {})) return false;
    const last = this.lastWritten.get(uid);
    // the same status again, and the cache has not yet seen our write (or nothing after it)
    if (last?.json === want && Number(pod.metadata.resourceVersion ?? 0) <= last.rv) return false;
    const api = this.client.resource<Pod>(RESOURCES.pods);
    let cur = pod;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const written = await api.updateStatus({ ...cur, status });
        this.lastWritten.set(uid, { json: want, rv: Number(written.metadata.resourceVersion ?? 0) });
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
          this.lastWritten.set(uid, { json: want, rv: Number(cur.metadata.resourceVersion ?? 0) });
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
