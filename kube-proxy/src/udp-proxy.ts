/**
 * One UDP listener (ClusterIP:port, e.g. cluster DNS on :53). Each client address
 * (ip:port) gets its own upstream socket connected to an endpoint the Balancer picks, so
 * replies find their way back; the mapping is dropped after `idleMs` without traffic either
 * way. Datagrams for a service without endpoints are dropped (the listener is normally
 * closed then, and the kernel answers port-unreachable).
 */
import dgram from 'node:dgram';
import { endpointKey } from './balancer.js';
import type { ListenerDeps } from './tcp-proxy.js';
import type { ListenerSpec } from './service-map.js';

interface Session {
  upstream: dgram.Socket;
  endpoint: string;
  ip: string;
  port: number;
  timer: NodeJS.Timeout;
}

export class UdpListener {
  private readonly socket: dgram.Socket;
  private readonly sessions = new Map<string, Session>();
  private closed = false;

  constructor(
    readonly spec: ListenerSpec,
    private readonly deps: ListenerDeps & { idleMs: number },
  ) {
    this.socket = dgram.createSocket({ type: 'udp4' });
    this.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.socket.on('error', (err) => deps.log.warn({ err, listener: spec.id }, 'udp listener error'));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.spec.port, this.spec.host, () => {
        this.socket.off('error', reject);
        resolve();
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const key of [...this.sessions.keys()]) this.drop(key);
    this.socket.close();
  }

  /** the bound port (useful when listening on port 0) */
  boundPort(): number {
    return this.socket.address().port;
  }

  sessionCount(): number {
    return this.sessions.size;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`;
    const state = this.deps.state();
    const service = state?.spec.key ?? this.spec.service;
    let s = this.sessions.get(key);
    if (s && !state?.balancer.list().some((e) => endpointKey(e) === s!.endpoint)) {
      this.drop(key); // its endpoint went away
      s = undefined;
    }
    if (!s) {
      const ep = state?.balancer.pick(rinfo.address);
      if (!ep) {
        this.deps.metrics.errors.inc({ service, kind: 'udp_no_endpoints' });
        return;
      }
      s = this.open(key, rinfo, ep.ip, ep.port, service);
    }
    s.timer.refresh();
    this.deps.metrics.udpPackets.inc({ service, direction: 'in' });
    s.upstream.send(msg, s.port, s.ip);
  }

  private open(key: string, client: dgram.RemoteInfo, ip: string, port: number, service: string): Session {
    const upstream = dgram.createSocket({ type: 'udp4' });
    const session: Session = { upstream, endpoint: `${ip}:${port}`, ip, port, timer: setTimeout(() => this.drop(key), this.deps.idleMs) };
    session.timer.unref();
    upstream.on('error', () => {
      this.deps.metrics.errors.inc({ service, kind: 'udp_upstream' });
      this.drop(key);
    });
    upstream.on('message', (reply, from) => {
      if (from.address !== ip || from.port !== port) return;
      session.timer.refresh();
      this.deps.metrics.udpPackets.inc({ service, direction: 'out' });
      if (!this.closed) this.socket.send(reply, client.port, client.address);
    });
    this.sessions.set(key, session);
    return session;
  }

  private drop(key: string): void {
    const s = this.sessions.get(key);
    if (!s) return;
    this.sessions.delete(key);
    clearTimeout(s.timer);
    try {
      s.upstream.close();
    } catch {
      // already closed
    }
  }
}
