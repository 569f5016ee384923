/**
 * kube-proxy's command line: every address, port and tunable is a flag with an env-var
 * fallback. `parseOptions` is pure (argv and env in) and throws commander's error on bad
 * input. The connection and ops flags are the ones every component shares.
 */
import { Command } from 'commander';
import os from 'node:os';
import {
  addConnectionFlags,
  envOption,
  addOpsFlags,
  boolArg,
  connectionFlags,
  durationArg,
  intArg,
  opsFlags,
  type ConnectionFlags,
  type OpsFlags,
} from '@mk8s/shared/component';

export interface ProxyFlags extends ConnectionFlags, OpsFlags {
  nodeName: string;
  nodeIp: string;
  serviceIpDevice: string;
  addressLabel: string;
  nodePortAddresses: string[];
  /** '' = no unreachable route for the range */
  serviceClusterIpRange: string;
  dialTimeoutMs: number;
  udpTimeoutMs: number;
  syncPeriodMs: number;
  dns: boolean;
  clusterDnsIp: string;
  clusterDomain: string;
  dnsBindAddress: string;
  dnsAdvertiseAddress: string;
  dnsPort: number;
  dnsUpstream: string;
  resolvConf: string;
  dnsTtl: number;
}

/** The first non-internal IPv4 address of the host (else 127.0.0.1). */
export function defaultNodeIp(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) return a.address;
  }
  return '127.0.0.1';
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ProxyFlags {
  const cmd = new Command()
    .name('mk8s-kube-proxy')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined }); // main logs the error
  addConnectionFlags(cmd, env);
  addOpsFlags(cmd, env, { envPrefix: 'KUBE_PROXY', port: 10256 });
  const opt = <T>(flags: string, help: string, envName: string, def?: T, parse?: (s: string) => T) => envOption(flags, help, env, envName, def, parse);
  cmd
    .addOption(opt('--node-name <name>', 'this node', 'NODE_NAME', os.hostname()))
    .addOption(opt('--node-ip <ip>', "this node's IP (DNS endpoint address)", 'NODE_IP'))
    .addOption(opt('--service-ip-device <dev>', 'device that holds the ClusterIPs', 'SERVICE_IP_DEVICE', 'lo'))
    .addOption(opt('--address-label <tag>', 'label suffix marking the addresses this proxy owns (<dev>:<tag>)', 'ADDRESS_LABEL', 'mk8s'))
    .addOption(
      opt('--service-cluster-ip-range <cidr>', "the apiserver's ClusterIP range, routed unreachable except for live ClusterIPs ('' = off)", 'SERVICE_CLUSTER_IP_RANGE', '10.96.0.0/12'),
    )
    .addOption(opt('--nodeport-addresses <ip,...>', 'addresses NodePorts listen on', 'NODEPORT_ADDRESSES', '0.0.0.0'))
    .addOption(opt('--dial-timeout <d>', 'endpoint connect timeout', 'DIAL_TIMEOUT', 5000, durationArg))
    .addOption(opt('--udp-timeout <d>', 'idle time before a UDP client mapping is dropped', 'UDP_TIMEOUT', 10_000, durationArg))
    .addOption(opt('--sync-period <d>', 'full resync period', 'SYNC_PERIOD', 30_000, durationArg))
    .addOption(opt('--dns <bool>', 'run the cluster DNS server', 'CLUSTER_DNS_ENABLED', true, boolArg))
    .addOption(opt('--cluster-dns-ip <ip>', 'ClusterIP of kube-system/kube-dns', 'CLUSTER_DNS', '10.96.0.10'))
    .addOption(opt('--cluster-domain <domain>', 'cluster DNS domain', 'CLUSTER_DOMAIN', 'cluster.local'))
    .addOption(opt('--dns-bind-address <ip>', 'address the DNS server listens on (default: --node-ip)', 'DNS_BIND_ADDRESS'))
    .addOption(opt('--dns-advertise-address <ip>', 'address put in the kube-dns Endpoints (default: the bind address)', 'DNS_ADVERTISE_ADDRESS'))
    .addOption(opt('--dns-port <n>', 'DNS server port (0 = free port)', 'DNS_PORT', 10053, intArg(0, 65535)))
    .addOption(opt('--dns-upstream <list>', "resolvers for other names: 'none', ip[:port],..., or empty for --resolv-conf", 'DNS_UPSTREAM', ''))
    .addOption(opt('--resolv-conf <path>', "the node's resolv.conf", 'RESOLV_CONF', '/etc/resolv.conf'))
    .addOption(opt('--dns-ttl <s>', 'TTL of cluster answers', 'DNS_TTL', 5, intArg(0, 3600)));
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<Record<string, unknown>>();
  const nodeIp = (o.nodeIp as string | undefined) ?? defaultNodeIp();
  const dnsBind = (o.dnsBindAddress as string | undefined) ?? nodeIp;
  return {
    ...connectionFlags(o),
    ...opsFlags(o),
    nodeName: o.nodeName as string,
    nodeIp,
    serviceIpDevice: o.serviceIpDevice as string,
    addressLabel: o.addressLabel as string,
    serviceClusterIpRange: String(o.serviceClusterIpRange ?? ''),
    nodePortAddresses: String(o.nodeportAddresses).split(',').map((s) => s.trim()).filter(Boolean),
    dialTimeoutMs: o.dialTimeout as number,
    udpTimeoutMs: o.udpTimeout as number,
    syncPeriodMs: o.syncPeriod as number,
    dns: o.dns as boolean,
    clusterDnsIp: o.clusterDnsIp as string,
    clusterDomain: o.clusterDomain as string,
    dnsBindAddress: dnsBind,
    dnsAdvertiseAddress: (o.dnsAdvertiseAddress as string | undefined) ?? (dnsBind === '0.0.0.0' ? nodeIp : dnsBind),
    dnsPort: o.dnsPort as number,
    dnsUpstream: o.dnsUpstream as string,
    resolvConf: o.resolvConf as string,
    dnsTtl: o.dnsTtl as number,
  };
}
