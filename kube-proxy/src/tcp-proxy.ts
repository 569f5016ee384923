/**
 * One TCP listener (a ClusterIP:port or a node address at a NodePort) forwarding each accepted
 * connection to an endpoint its service's Balancer picks. Data moves with `pipe` both ways
 * (Nagle off, half-close kept); bytes are counted from the sockets when they close. A service
 * without endpoints resets the connection at once; a failed dial tries one other endpoint,
 * then resets. `close()` stops accepting; open connections run to their end.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import { endpointKey, type Endpoint } from './balancer.js';
import type { ProxyMetrics } from './metrics.js';
import type { ListenerSpec } from './service-map.js';
import type { ServiceState } from './service-state.js';

export interface ListenerDeps {
  /** the current state of the listener's service (may change between connections) */
  state(): ServiceState | undefined;
  metrics: ProxyMetrics;
  log: Logger;
  dialTimeoutMs: number;
}

export class TcpListener {
  private readonly server: net.Server;
  private closed = false;

  constructor(
    readonly spec: ListenerSpec,
    private readonly deps: ListenerDeps,
  ) {
    this.server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false, noDelay: true }, (c) => this.onConnection(c));
    this.server.on('error', (err) => deps.log.warn({ err, listener: spec.id }, 'listener error'));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host: this.spec.host, port: this.spec.port, backlog: 1024 }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
  }

  /** the bound port (useful when listening on port 0) */
  boundPort(): number {
    return (this.server.address() as net.AddressInfo | null)?.port ?? 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
  }

  private onConnection(client: net.Socket): void {
    const state = this.deps.state();
    const service = state?.spec.key ?? this.spec.service;
    const m = this.deps.metrics;
    client.on('error', () => undefined);
    const clientIp = client.remoteAddress ?? '';
    const first = state?.balancer.pick(clientIp);
    if (!state || !first) {
      m.connections.inc({ service, result: 'no_endpoints' });
      client.resetAndDestroy();
      return;
    }
    m.connections.inc({ service, result: 'accepted' });
    m.active.inc({ service });
    client.once('close', () => {
      m.active.dec({ service });
      m.bytes.inc({ service, direction: 'in' }, client.bytesRead);
      m.bytes.inc({ service, direction: 'out' }, client.bytesWritten);
    });
    this.dial(client, first, service, () => {
      const second = state.balancer.pick(clientIp, endpointKey(first));
      return second && endpointKey(second) !== endpointKey(first) ? second : undefined;
    });
  }

  private dial(client: net.Socket, ep: Endpoint, service: string, retry: (() => Endpoint | undefined) | undefined): void {
    const upstream = net.connect({ host: ep.ip, port: ep.port, allowHalfOpen: true, noDelay: true, timeout: this.deps.dialTimeoutMs });
    let connected = false;
    let failed = false;
    const fail = (kind: string, err?: Error) => {
      if (failed) return;
      failed = true;
      upstream.destroy();
      this.deps.metrics.errors.inc({ service, kind });
      const next = retry?.();
      this.deps.log.debug({ service, endpoint: endpointKey(ep), err: err?.message, retry: next ? endpointKey(next) : undefined }, 'dial failed');
      if (next && !client.destroyed) this.dial(client, next, service, undefined);
      else client.resetAndDestroy();
    };
    upstream.once('timeout', () => {
      if (!connected) fail('dial_timeout');
    });
    upstream.on('error', (err) => {
      if (!connected) return fail('dial', err);
      client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      upstream.setTimeout(0);
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => {
        if (!client.writableFinished) client.end();
      });
    });
    client.once('close', () => {
      if (!connected) upstream.destroy();
    });
  }
}
