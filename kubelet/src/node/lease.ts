/**
 * The node Lease in kube-node-lease, named after the node: created when missing (owned by
 * the Node so it goes with it), renewed every `renewMs` with holderIdentity = node name and
 * leaseDurationSeconds (40). Renewal failures are logged and retried on the next tick.
 */
import { RESOURCES, isAlreadyExists, isNotFound, type ApiClient, type Lease, type Logger, type Namespace } from '@mk8s/shared';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

const microTime = (): string => new Date().toISOString().replace('Z', '000Z');

export class NodeLease {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly opts: {
      client: ApiClient;
      nodeName: string;
      nodeUid?: string;
      renewMs?: number;
      durationSeconds?: number;
      logger: Logger;
    },
  ) {}

  /** One renewal (creating the Lease, and its namespace, when missing). */
  async renew(): Promise<void> {
    const api = this.opts.client.resource<Lease>(RESOURCES.leases);
    const name = this.opts.nodeName;
    const spec = { holderIdentity: name, leaseDurationSeconds: this.opts.durationSeconds ?? 40, renewTime: microTime() };
    let cur: Lease | undefined;
    try {
      cur = await api.get(NODE_LEASE_NAMESPACE, name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (cur) {
      await api.update({ ...cur, spec: { ...cur.spec, ...spec } });
      return;
    }
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: NODE_LEASE_NAMESPACE },
      spec: { ...spec, acquireTime: spec.renewTime },
    };
    if (this.opts.nodeUid) {
      lease.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name, uid: this.opts.nodeUid }];
    }
    try {
      await api.create(lease);
    } catch (err) {
      if (isAlreadyExists(err)) return;
      if (!isNotFound(err)) throw err;
      await this.opts.client
        .resource<Namespace>(RESOURCES.namespaces)
        .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NODE_LEASE_NAMESPACE } })
        .catch(() => undefined);
      await api.create(lease);
    }
  }

  start(): void {
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      try {
        await this.renew();
      } catch (err) {
        this.opts.logger.warn({ err }, 'node lease renewal failed');
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.opts.renewMs ?? 10_000);
    };
    void tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
