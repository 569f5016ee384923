/**
 * The proxy's reconcile loop (level-triggered, like kube-proxy's syncProxyRules): any Service
 * or Endpoints change schedules one full sync, at most one runs at a time, and a change during
 * a sync runs another after it. A sync recomputes every ServicePortSpec from the caches,
 * updates each service's Balancer, closes listeners that are no longer wanted (service gone,
 * port or type changed, no ready endpoints: the kernel then refuses), makes the ClusterIPs
 * local (AddressManager), and opens the missing listeners. Failures (a port in use) are
 * logged and retried by the periodic resync. `stop()` closes every listener and removes the
 * addresses it added.
 */
import type { Endpoints, Informer, Service } from '@mk8s/shared';
import type { Logger } from 'pino';
import type { AddressManager } from './addresses.js';
import type { ProxyMetrics } from './metrics.js';
import { clusterIPsOf, listenersFor, servicePortSpecs, type ListenerSpec, type ServicePortSpec } from './service-map.js';
import { ServiceState } from './service-state.js';
import { TcpListener } from './tcp-proxy.js';
import { UdpListener } from './udp-proxy.js';

export interface ProxierOptions {
  services: Informer<Service>;
  endpoints: Informer<Endpoints>;
  addresses: AddressManager;
  metrics: ProxyMetrics;
  log: Logger;
  nodePortAddresses: string[];
  dialTimeoutMs: number;
  udpIdleMs: number;
  resyncMs: number;
}

type Listener = TcpListener | UdpListener;

export class Proxier {
  private readonly states = new Map<string, ServiceState>();
  private readonly listeners = new Map<string, Listener>();
  private running: Promise<void> | undefined;
  private dirty = false;
  private stopped = false;
  private resyncTimer: NodeJS.Timeout | undefined;
  private lastSyncOk = false;
  private lastSyncAt = 0;
  private syncs = 0;

  constructor(private readonly o: ProxierOptions) {
    const handlers = { onAdd: () => this.schedule(), onUpdate: () => this.schedule(), onDelete: () => this.schedule() };
    o.services.addHandlers(handlers);
    o.endpoints.addHandlers(handlers);
  }

  start(): void {
    this.resyncTimer = setInterval(() => this.schedule(), this.o.resyncMs);
    this.resyncTimer.unref();
    this.schedule();
  }

  /**
   * For /healthz (kube-proxy's rule): a sync has completed, and recently enough that the loop
   * is alive (within two resync periods). A sync with errors (a port held by someone else)
   * still counts; `lastSyncSucceeded()` tells them apart.
   */
  healthy(now = Date.now()): true | string {
    if (!this.lastSyncAt) return 'no sync yet';
    if (now - this.lastSyncAt > 2 * this.o.resyncMs + 5000) return `last sync ${Math.round((now - this.lastSyncAt) / 1000)}s ago`;
    return true;
  }

  lastSyncSucceeded(): boolean {
    return this.lastSyncOk;
  }

  syncCount(): number {
    return this.syncs;
  }

  listenerIds(): string[] {
    return [...this.listeners.keys()].sort();
  }

  schedule(): void {
    if (this.stopped || !this.o.services.hasSynced() || !this.o.endpoints.hasSynced()) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Waits for any sync in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.dirty = false;
      const end = this.o.metrics.syncDuration.startTimer();
      try {
        this.lastSyncOk = await this.sync();
      } catch (err) {
        this.lastSyncOk = false;
        this.o.log.error({ err }, 'sync failed');
      }
      end();
      this.lastSyncAt = Date.now();
      this.syncs++;
    } while (this.dirty && !this.stopped);
  }

  private async sync(): Promise<boolean> {
    const services = this.o.services.list();
    const specs: ServicePortSpec[] = services.flatMap((s) =>
      servicePortSpecs(s, this.o.endpoints.get(s.metadata.namespace, s.metadata.name ?? '')),
    );
    const seen = new Set<string>();
    for (const spec of specs) {
      seen.add(spec.key);
      const st = this.states.get(spec.key);
      if (st) st.update(spec);
      else this.states.set(spec.key, new ServiceState(spec));
    }
    for (const key of [...this.states.keys()]) if (!seen.has(key)) this.states.delete(key);

    const wanted = new Map<string, ListenerSpec>();
    for (const spec of specs) {
      if (!spec.endpoints.length) continue;
      for (const l of listenersFor(spec, this.o.nodePortAddresses)) if (!wanted.has(l.id)) wanted.set(l.id, l);
    }
    for (const [id, l] of this.listeners) {
      const w = wanted.get(id);
      if (w && w.service === l.spec.service) continue;
      l.close();
      this.listeners.delete(id);
      this.o.log.info({ listener: id, service: l.spec.service }, 'listener closed');
    }
    let ok = true;
    try {
      await this.o.addresses.sync(clusterIPsOf(services));
    } catch (err) {
      ok = false;
      this.o.log.error({ err }, 'address sync failed');
    }
    for (const [id, spec] of wanted) {
      if (this.listeners.has(id) || this.stopped) continue;
      const l = this.newListener(spec);
      try {
        await l.listen();
        this.listeners.set(id, l);
        this.o.log.info({ listener: id, service: spec.service }, 'listener opened');
      } catch (err) {
        ok = false;
        l.close();
        this.o.metrics.errors.inc({ service: spec.service, kind: 'listen' });
        this.o.log.warn({ err: (err as Error).message, listener: id, service: spec.service }, 'listen failed');
      }
    }
    for (const st of this.states.values()) st.balancer.expireAffinity();
    this.o.metrics.listeners.set({ protocol: 'TCP' }, [...this.listeners.values()].filter((l) => l instanceof TcpListener).length);
    this.o.metrics.listeners.set({ protocol: 'UDP' }, [...this.listeners.values()].filter((l) => l instanceof UdpListener).length);
    return ok;
  }

  private newListener(spec: ListenerSpec): Listener {
    const deps = {
      state: () => this.states.get(spec.service),
      metrics: this.o.metrics,
      log: this.o.log,
      dialTimeoutMs: this.o.dialTimeoutMs,
    };
    return spec.protocol === 'UDP' ? new UdpListener(spec, { ...deps, idleMs: this.o.udpIdleMs }) : new TcpListener(spec, deps);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.idle();
    for (const l of this.listeners.values()) l.close();
    this.listeners.clear();
    await this.o.addresses.removeAll();
  }
}
