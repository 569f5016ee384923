import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('parseOptions', () => {
  it('defaults', () => {
    const o = parseOptions(['--node-ip', '192.0.2.7'], {});
    expect(o).toMatchObject({
      serviceIpDevice: 'lo',
      addressLabel: 'mk8s',
      nodePortAddresses: ['0.0.0.0'],
      clusterDnsIp: '10.96.0.10',
      clusterDomain: 'cluster.local',
      dns: true,
      dnsPort: 10053,
      dnsBindAddress: '192.0.2.7',
      dnsAdvertiseAddress: '192.0.2.7',
      opsAddress: '127.0.0.1',
      opsPort: 10256,
      dialTimeoutMs: 5000,
      udpTimeoutMs: 10_000,
    });
  });

  it.each([
    { name: 'wildcard DNS bind advertises the node IP', args: ['--node-ip', '192.0.2.7', '--dns-bind-address', '0.0.0.0'], want: { dnsAdvertiseAddress: '192.0.2.7' } },
    { name: 'explicit advertise address', args: ['--dns-advertise-address', '10.244.0.1'], want: { dnsAdvertiseAddress: '10.244.0.1' } },
    { name: 'nodeport address list', args: ['--nodeport-addresses', '127.0.0.1, 192.0.2.7'], want: { nodePortAddresses: ['127.0.0.1', '192.0.2.7'] } },
    { name: 'dns off', args: ['--dns', 'false'], want: { dns: false } },
    { name: 'durations', args: ['--dial-timeout', '250ms', '--sync-period', '1m'], want: { dialTimeoutMs: 250, syncPeriodMs: 60_000 } },
  ])('$name', ({ args, want }) => {
    expect(parseOptions(args, {})).toMatchObject(want);
  });

  it('reads the environment, parsed like the flags', () => {
    const env = { KUBE_PROXY_OPS_PORT: '0', DIAL_TIMEOUT: '250ms', CLUSTER_DNS_ENABLED: 'false', DNS_PORT: '5353', NODE_IP: '192.0.2.9' };
    expect(parseOptions([], env)).toMatchObject({ opsPort: 0, dialTimeoutMs: 250, dns: false, dnsPort: 5353, nodeIp: '192.0.2.9' });
    expect(() => parseOptions([], { DIAL_TIMEOUT: 'soon' })).toThrow(/invalid duration/);
  });

  it.each([
    { name: 'bad port', args: ['--ops-port', '70000'] },
    { name: 'bad bool', args: ['--dns', 'maybe'] },
  ])('rejects $name', ({ args }) => {
    expect(() => parseOptions(args, {})).toThrow();
  });
});
