/**
 * Endpoint selection for one service port: round robin over the ready endpoints, with
 * optional ClientIP session affinity (a client IP keeps its endpoint while it is still an
 * endpoint and its last use is younger than the timeout). Pure and synchronous; time is a
 * parameter. `setEndpoints` keeps the rotation position and drops affinity entries that
 * point at endpoints that are gone, so a removed endpoint gets no new connections.
 */

export interface Endpoint {
  ip: string;
  port: number;
}

export const endpointKey = (e: Endpoint): string => `${e.ip}:${e.port}`;

interface AffinityEntry {
  endpoint: string;
  lastUsedMs: number;
}

export class Balancer {
  private endpoints: Endpoint[] = [];
  private next = 0;
  private readonly affinity = new Map<string, AffinityEntry>();

  /** affinityTimeoutMs: 0 = no session affinity */
  constructor(
    private affinityTimeoutMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  setAffinity(timeoutMs: number): void {
    if (timeoutMs !== this.affinityTimeoutMs) this.affinity.clear();
    this.affinityTimeoutMs = timeoutMs;
  }

  setEndpoints(endpoints: readonly Endpoint[]): void {
    this.endpoints = [...endpoints];
    const live = new Set(this.endpoints.map(endpointKey));
    for (const [client, e] of this.affinity) if (!live.has(e.endpoint)) this.affinity.delete(client);
    if (this.next >= this.endpoints.length) this.next = 0;
  }

  size(): number {
    return this.endpoints.length;
  }

  list(): readonly Endpoint[] {
    return this.endpoints;
  }

  /**
   * The endpoint for a new connection from `clientIp`, or undefined when there is none.
   * `exclude` (an endpoint key) skips an endpoint that just failed to dial.
   */
  pick(clientIp: string, exclude?: string): Endpoint | undefined {
    const n = this.endpoints.length;
    if (n === 0) return undefined;
    const now = this.now();
    if (this.affinityTimeoutMs > 0) {
      const held = this.affinity.get(clientIp);
      if (held && now - held.lastUsedMs <= this.affinityTimeoutMs && held.endpoint !== exclude) {
        const e = this.endpoints.find((x) => endpointKey(x) === held.endpoint);
        if (e) {
          held.lastUsedMs = now;
          return e;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const e = this.endpoints[this.next % n]!;
      this.next = (this.next + 1) % n;
      if (endpointKey(e) === exclude && n > 1) continue;
      if (endpointKey(e) === exclude) return undefined;
      if (this.affinityTimeoutMs > 0) this.affinity.set(clientIp, { endpoint: endpointKey(e), lastUsedMs: now });
      return e;
    }
    return undefined;
  }

  /** Forgets affinity entries older than the timeout (call now and then). */
  expireAffinity(): void {
    const now = this.now();
    for (const [client, e] of this.affinity) if (now - e.lastUsedMs > this.affinityTimeoutMs) this.affinity.delete(client);
  }

  affinityCount(): number {
    return this.affinity.size;
  }
}
