/**
 * kube-proxy's command line: every address, port and tunable is a flag with an env-var
 * fallback (read from process.env). `parseOptions` throws commander's error on bad input.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import os from 'node:os';

export interface ProxyFlags {
  kubeconfig?: string;
  server?: string;
  tokenFile?: string;
  caFile?: string;
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
  opsAddress: string;
  opsPort: number;
}

/** The first non-internal IPv4 address of the host (else 127.0.0.1). */
export function defaultNodeIp(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) return a.address;
  }
  return '127.0.0.1';
}

/** `15s`, `500ms`, `2m`, or a bare number of seconds, to milliseconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new InvalidArgumentError(`invalid duration ${JSON.stringify(s)} (use e.g. 15s, 500ms, 1m)`);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Math.round(Number(m[1]) * unit[m[2] ?? 's']!);
}

const intIn = (min: number, max: number) => (s: string): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
  return n;
};

const bool = (s: string): boolean => {
  if (/^(true|1|yes)$/i.test(s)) return true;
  if (/^(false|0|no)$/i.test(s)) return false;
  throw new InvalidArgumentError('must be true or false');
};

export function parseOptions(argv: string[]): ProxyFlags {
  const cmd = new Command()
    .name('mk8s-kube-proxy')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined }) // main logs the error
    .addOption(new Option('--kubeconfig <path>', 'kubeconfig file').env('KUBECONFIG'))
    .addOption(new Option('--server <url>', 'apiserver URL').env('MK8S_SERVER'))
    .addOption(new Option('--token-file <path>', 'bearer token file').env('MK8S_TOKEN_FILE'))
    .addOption(new Option('--ca-file <path>', 'apiserver CA file').env('MK8S_CA_FILE'))
    .addOption(new Option('--node-name <name>', 'this node').env('NODE_NAME').default(os.hostname()))
    .addOption(new Option('--node-ip <ip>', "this node's IP (DNS endpoint address)").env('NODE_IP'))
    .addOption(new Option('--service-ip-device <dev>', 'device that holds the ClusterIPs').env('SERVICE_IP_DEVICE').default('lo'))
    .addOption(new Option('--address-label <tag>', 'label suffix marking the addresses this proxy owns (<dev>:<tag>)').env('ADDRESS_LABEL').default('mk8s'))
    .addOption(new Option('--service-cluster-ip-range <cidr>', "the apiserver's ClusterIP range, routed unreachable except for live ClusterIPs ('' = off)").env('SERVICE_CLUSTER_IP_RANGE').default('10.96.0.0/12'))
    .addOption(new Option('--nodeport-addresses <ip,...>', 'addresses NodePorts listen on').env('NODEPORT_ADDRESSES').default('0.0.0.0'))
    .addOption(new Option('--dial-timeout <d>', 'endpoint connect timeout').env('DIAL_TIMEOUT').default(5000).argParser(parseDuration))
    .addOption(new Option('--udp-timeout <d>', 'idle time before a UDP client mapping is dropped').env('UDP_TIMEOUT').default(10_000).argParser(parseDuration))
    .addOption(new Option('--sync-period <d>', 'full resync period').env('SYNC_PERIOD').default(30_000).argParser(parseDuration))
    .addOption(new Option('--dns <bool>', 'run the cluster DNS server').env('CLUSTER_DNS_ENABLED').default(true).argParser(bool))
    .addOption(new Option('--cluster-dns-ip <ip>', 'ClusterIP of kube-system/kube-dns').env('CLUSTER_DNS').default('10.96.0.10'))
    .addOption(new Option('--cluster-domain <domain>', 'cluster DNS domain').env('CLUSTER_DOMAIN').default('cluster.local'))
    .addOption(new Option('--dns-bind-address <ip>', 'address the DNS server listens on (default: --node-ip)').env('DNS_BIND_ADDRESS'))
    .addOption(new Option('--dns-advertise-address <ip>', 'address put in the kube-dns Endpoints (default: the bind address)').env('DNS_ADVERTISE_ADDRESS'))
    .addOption(new Option('--dns-port <n>', 'DNS server port (0 = free port)').env('DNS_PORT').default(10053).argParser(intIn(0, 65535)))
    .addOption(new Option('--dns-upstream <list>', "resolvers for other names: 'none', ip[:port],..., or empty for --resolv-conf").env('DNS_UPSTREAM').default(''))
    .addOption(new Option('--resolv-conf <path>', "the node's resolv.conf").env('RESOLV_CONF').default('/etc/resolv.conf'))
    .addOption(new Option('--dns-ttl <s>', 'TTL of cluster answers').env('DNS_TTL').default(5).argParser(intIn(0, 3600)))
    .addOption(new Option('--ops-address <ip>', 'healthz/metrics address').env('OPS_ADDRESS').default('127.0.0.1'))
    .addOption(new Option('--ops-port <n>', 'healthz/metrics port (0 = free port)').env('OPS_PORT').default(10256).argParser(intIn(0, 65535)));
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<Record<string, unknown>>();
  const nodeIp = (o.nodeIp as string | undefined) ?? defaultNodeIp();
  const dnsBind = (o.dnsBindAddress as string | undefined) ?? nodeIp;
  return {
    kubeconfig: o.kubeconfig as string | undefined,
    server: o.server as string | undefined,
    tokenFile: o.tokenFile as string | undefined,
    caFile: o.caFile as string | undefined,
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
    opsAddress: o.opsAddress as string,
    opsPort: o.opsPort as number,
  };
}
