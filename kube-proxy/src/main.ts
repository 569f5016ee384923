#!/usr/bin/env node
/**
 * mk8s kube-proxy: one per node. Watches Services and Endpoints, makes each ClusterIP local
 * (`ip addr add <ip>/32 dev lo`) and proxies ClusterIP:port and NodePorts to ready endpoints
 * in user space (TCP and UDP), and runs the cluster DNS server, published as the
 * `kube-system/kube-dns` Service at a fixed ClusterIP. Serves /healthz and /metrics.
 * SIGTERM/SIGINT close the listeners, remove the addresses it added and exit 0.
 */
import { InformerFactory, newRootLogger, RESOURCES, startOpsServer, type Endpoints, type Service } from '@mk8s/shared';
import { connect, onTermination, parseFlagsOrExit } from '@mk8s/shared/component';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AddressManager } from './addresses.js';
import { runClusterDns, type ClusterDns } from './dns/run.js';
import { newProxyMetrics } from './metrics.js';
import { parseOptions } from './options.js';
import { Proxier } from './proxier.js';
import { ServiceRangeRoute } from './service-route.js';

async function main(): Promise<void> {
  const log = newRootLogger('kube-proxy');
  const flags = parseFlagsOrExit(log, () => parseOptions(process.argv.slice(2)));
  const client = connect(flags, `mk8s-kube-proxy/${flags.nodeName}`);
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

  let dns: ClusterDns | undefined;
  const rangeRoute = flags.serviceClusterIpRange ? new ServiceRangeRoute(flags.serviceClusterIpRange, log) : undefined;
  await rangeRoute?.ensure().catch((err: unknown) => log.warn({ err }, 'service range route not added'));

  const ops = await startOpsServer({
    host: flags.opsAddress,
    port: flags.opsPort,
    registry,
    checks: {
      informers: () => factory.hasSynced() || 'informers not synced',
      sync: () => proxier.healthy(),
      dns: () => dns?.healthy() ?? true,
    },
  });
  log.info({ address: flags.opsAddress, port: ops.port }, 'ops server listening');

  onTermination(log, async () => {
    await proxier.stop();
    await rangeRoute?.remove();
    dns?.close();
    await factory.stop();
    await ops.close();
    client.close();
  });

  factory.start();
  await factory.waitForSync();
  log.info({ services: services.list().length, endpoints: endpoints.list().length }, 'informers synced');
  proxier.start();
  if (flags.dns) {
    dns = runClusterDns({
      client,
      services,
      endpoints,
      log: log.child({ part: 'dns' }),
      clusterIP: flags.clusterDnsIp,
      domain: flags.clusterDomain,
      ttl: flags.dnsTtl,
      bindAddress: flags.dnsBindAddress,
      advertiseAddress: flags.dnsAdvertiseAddress,
      port: flags.dnsPort,
      nodeName: flags.nodeName,
      upstream: flags.dnsUpstream,
      resolvConf: flags.resolvConf,
      onQuery: (type, rcode) => metrics.dnsQueries.inc({ type, rcode: String(rcode) }),
    });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
