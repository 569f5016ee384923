/**
 * Runs the node's cluster DNS in the background: listens (a fresh server per attempt, retried
 * every few seconds while the address or port is unavailable, e.g. held by another cluster's
 * proxy on the same host), then makes sure `kube-system/kube-dns` and its Endpoints name this
 * listener (retried with backoff). `healthy()` is for /healthz; `close()` stops it all.
 */
import type { ApiClient, Endpoints, Informer, Service } from '@mk8s/shared';
import type { Logger } from 'pino';
import { ensureDnsService } from './bootstrap.js';
import { DnsServer } from './server.js';
import { resolveUpstreams } from './upstream.js';

export interface ClusterDnsOptions {
  client: ApiClient;
  services: Informer<Service>;
  endpoints: Informer<Endpoints>;
  log: Logger;
  clusterIP: string;
  domain: string;
  ttl: number;
  bindAddress: string;
  advertiseAddress: string;
  port: number;
  nodeName: string;
  upstream: string;
  resolvConf: string;
  onQuery(type: string, rcode: number): void;
}

export interface ClusterDns {
  healthy(): true | string;
  close(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function runClusterDns(o: ClusterDnsOptions): ClusterDns {
  let server: DnsServer | undefined;
  let closed = false;
  let state = 'starting';
  const upstreams = resolveUpstreams(o.upstream, o.resolvConf, [o.clusterIP]);
  const loop = async () => {
    let port = 0;
    for (let attempt = 1; !closed; attempt++) {
      const s = new DnsServer({
        view: { service: (ns, name) => o.services.get(ns, name), endpoints: (ns, name) => o.endpoints.get(ns, name) },
        domain: o.domain,
        ttl: o.ttl,
        upstreams,
        upstreamTimeoutMs: 2000,
        log: o.log,
        onQuery: o.onQuery,
      });
      try {
        port = (await s.listen(o.bindAddress, o.port)).port;
        server = s;
        break;
      } catch (err) {
        s.close();
        state = `cannot listen on ${o.bindAddress}:${o.port}: ${(err as Error).message}`;
        o.log.error({ err: (err as Error).message, attempt }, 'dns listen failed');
        await sleep(5000);
      }
    }
    if (closed) {
      server?.close();
      return;
    }
    o.log.info({ address: o.bindAddress, port, upstreams: upstreams.map((u) => `${u.ip}:${u.port}`) }, 'dns server listening');
    state = 'ok';
    const svc = { clusterIP: o.clusterIP, address: o.advertiseAddress, port, nodeName: o.nodeName };
    for (let attempt = 1; !closed; attempt++) {
      try {
        await ensureDnsService(o.client, svc, o.log);
        return;
      } catch (err) {
        o.log.warn({ err, attempt }, 'kube-dns service setup failed');
        await sleep(Math.min(30_000, 1000 * attempt));
      }
    }
  };
  void loop();
  return {
    healthy: () => (state === 'ok' ? true : state),
    close() {
      closed = true;
      server?.close();
    },
  };
}
