/**
 * The live state of one service port inside the proxy: its latest spec and its Balancer.
 * Listeners look the state up on every connection, so endpoint changes apply to the next
 * connection without touching sockets.
 */
import { Balancer } from './balancer.js';
import type { ServicePortSpec } from './service-map.js';

export class ServiceState {
  readonly balancer: Balancer;

  constructor(
    public spec: ServicePortSpec,
    now: () => number = Date.now,
  ) {
    this.balancer = new Balancer(spec.affinityTimeoutMs, now);
    this.balancer.setEndpoints(spec.endpoints);
  }

  update(spec: ServicePortSpec): void {
    this.spec = spec;
    this.balancer.setAffinity(spec.affinityTimeoutMs);
    this.balancer.setEndpoints(spec.endpoints);
  }
}
