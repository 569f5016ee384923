import { describe, expect, it } from 'vitest';
import { parseDuration, parseOptions } from './options.js';

describe('parseDuration', () => {
  it.each([
    { s: '5s', want: 5000 },
    { s: '500ms', want: 500 },
    { s: '2m', want: 120_000 },
    { s: '3', want: 3000 },
    { s: '1.5s', want: 1500 },
  ])('$s', ({ s, want }) => {
    expect(parseDuration(s)).toBe(want);
  });

  it.each(['', 'abc', '5 parsecs', '-1s'])('rejects %j', (s) => {
    expect(() => parseDuration(s)).toThrow(/invalid duration/);
  });
});

describe('parseOptions', () => {
  it('defaults', () => {
    const o = parseOptions(['--node-ip', '192.0.2.7']);
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
    expect(parseOptions(args)).toMatchObject(want);
  });

  it.each([
    { name: 'bad port', args: ['--ops-port', '70000'] },
    { name: 'bad bool', args: ['--dns', 'maybe'] },
  ])('rejects $name', ({ args }) => {
    expect(() => parseOptions(args)).toThrow();
  });
});
