/**
 * An `unreachable` route for the whole service ClusterIP range
 * (`ip route replace unreachable 10.96.0.0/12`). ClusterIPs that kube-proxy made local on `lo`
 * still win (the local routing table is consulted first); any other address of the range -
 * a service not synced yet, a deleted one - fails at once with "no route to host" instead of
 * being sent to the default gateway and off the node. `remove()` deletes the route only if
 * this process added it.
 */
import type { Logger } from 'pino';
import { execIp, type Exec } from './addresses.js';

export class ServiceRangeRoute {
  private added = false;

  constructor(
    readonly cidr: string,
    private readonly log: Logger,
    private readonly exec: Exec = execIp,
  ) {}

  async ensure(): Promise<void> {
    const existing = await this.exec('ip', ['-o', 'route', 'show', 'type', 'unreachable', 'exact', this.cidr]);
    if (existing.trim()) return;
    await this.exec('ip', ['route', 'replace', 'unreachable', this.cidr]);
    this.added = true;
    this.log.info({ cidr: this.cidr }, 'service range route added');
  }

  async remove(): Promise<void> {
    if (!this.added) return;
    try {
      await this.exec('ip', ['route', 'del', 'unreachable', this.cidr]);
      this.log.info({ cidr: this.cidr }, 'service range route removed');
    } catch (err) {
      this.log.warn({ err, cidr: this.cidr }, 'service range route removal failed');
    }
    this.added = false;
  }
}
