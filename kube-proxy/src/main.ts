#!/usr/bin/env node
/**
 * mk8s kube-proxy: one per node. Watches Services and Endpoints, makes each ClusterIP local
 * (`ip addr add <ip>/32 dev lo`) and proxies ClusterIP:port and NodePorts to ready endpoints
 * in user space (TCP and UDP), and runs the cluster DNS server, published as the
 * `kube-system/kube-dns` Service at a fixed ClusterIP. Serves /healthz and /metrics.
 * SIGTERM/SIGINT close the listeners, remove the addresses it added and exit 0.
 */
import { InformerFactory, newRootLogger, RESOURCES, resolveClientConfig, RestClient, startOpsServer, type Endpoints, type Service } from '@mk8s/shared';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AddressManager } from './addresses.js';
import { ensureDnsService } from './dns/bootstrap.js';
import { DnsServer } from './dns/server.js';
import { resolveUpstreams } from './dns/upstream.js';
import { newProxyMetrics } from './metrics.js';
import { parseOptions } from './options.js';
import { Proxier } from './proxier.js';
import { ServiceRangeRoute } from './service-route.js';

async function main(): Promise<void> {
  const log = newRootLogger('kube-proxy');
  let flags;
  try {
    flags = parseOptions(process.argv.slice(2));
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
    log.fatal({ err: e.message }, 'bad flags');
    process.exit(2);
  }
  const client = new RestClient(
    resolveClientConfig({ kubeconfig: flags.kubeconfig, server: flags.server, tokenFile: flags.tokenFile, caFile: flags.caFile, userAgent: `mk8s-kube-proxy/${flags.nodeName}` }),
  );
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = newProxyMetrics(registry);
  const factory = new InformerFactory(client, { logger: log });
  const services = factory.informerFor<Service>(RESOURCES.services);
  const endpoints = factory.informerFor<Endpoints>(RESOURCES.endpoints);
  const addresses = new AddressManager(flags.serviceIpDevice, flags.addressLabel, log.child({ part: 'addresses' }));
  const proxier = new Proxier({
    services,
    endpoints,
    addresses,
    metrics,
    log: log.child({ part: 'proxier' }),
    nodePortAddresses: flags.nodePortAddresses,
    dialTimeoutMs: flags.dialTimeoutMs,
    udpIdleMs: flags.udpTimeoutMs,
    resyncMs: flags.syncPeriodMs,
  });

  const rangeRoute = flags.serviceClusterIpRange ? new ServiceRangeRoute(flags.serviceClusterIpRange, log) : undefined;
  await rangeRoute?.ensure().catch((err: unknown) => log.warn({ err }, 'service range route not added'));

  let dns: DnsServer | undefined;
  let dnsPort = 0;
  if (flags.dns) {
    const upstreams = resolveUpstreams(flags.dnsUpstream, flags.resolvConf, [flags.clusterDnsIp]);
    dns = new DnsServer({
      view: { service: (ns, name) => services.get(ns, name), endpoints: (ns, name) => endpoints.get(ns, name) },
      domain: flags.clusterDomain,
      ttl: flags.dnsTtl,
      upstreams,
      upstreamTimeoutMs: 2000,
      log: log.child({ part: 'dns' }),
      onQuery: (type, rcode) => metrics.dnsQueries.inc({ type, rcode: String(rcode) }),
    });
    dnsPort = (await dns.listen(flags.dnsBindAddress, flags.dnsPort)).port;
    log.info({ address: flags.dnsBindAddress, port: dnsPort, upstreams: upstreams.map((u) => `${u.ip}:${u.port}`) }, 'dns server listening');
  }

  const ops = await startOpsServer({
    host: flags.opsAddress,
    port: flags.opsPort,
    registry,
    checks: {
      informers: () => factory.hasSynced() || 'informers not synced',
      sync: () => proxier.healthy(),
    },
  });
  log.info({ address: flags.opsAddress, port: ops.port }, 'ops server listening');

  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    await proxier.stop();
    await rangeRoute?.remove();
    dns?.close();
    await factory.stop();
    await ops.close();
    client.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  factory.start();
  await factory.waitForSync();
  log.info({ services: services.list().length, endpoints: endpoints.list().length }, 'informers synced');
  proxier.start();
  if (dns) {
    const opts = { clusterIP: flags.clusterDnsIp, address: flags.dnsAdvertiseAddress, port: dnsPort, nodeName: flags.nodeName };
    for (let attempt = 1; !shuttingDown; attempt++) {
      try {
        await ensureDnsService(client, opts, log.child({ part: 'dns' }));
        break;
      } catch (err) {
        log.warn({ err, attempt }, 'kube-dns service setup failed');
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * attempt)));
      }
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
