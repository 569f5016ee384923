import { describe, expect, it } from 'vitest';
import { Ipam, cidrContains, firstFreeIp, intToIp, ipToInt, parseCidr } from './ipam.js';

describe('CIDR helpers', () => {
  it.each([
    ['10.244.1.0/24', { base: ipToInt('10.244.1.0'), prefix: 24 }],
    ['10.244.1.77/24', { base: ipToInt('10.244.1.0'), prefix: 24 }],
    ['10.244.0.0/16', { base: ipToInt('10.244.0.0'), prefix: 16 }],
  ])('parseCidr(%s)', (cidr, want) => {
    expect(parseCidr(cidr)).toEqual(want);
  });

  it.each(['10.244.1.0', '10.244.1.0/33', '10.244.1/24', '300.1.1.1/8'])('rejects %s', (cidr) => {
    expect(() => parseCidr(cidr)).toThrow();
  });

  it.each([
    ['10.244.1.0/24', '10.244.1.255', true],
    ['10.244.1.0/24', '10.244.2.0', false],
    ['10.244.0.0/16', '10.244.200.3', true],
  ] as const)('cidrContains(%s, %s) = %s', (cidr, ip, want) => {
    expect(cidrContains(cidr, ip)).toBe(want);
  });

  it('round-trips addresses', () => {
    expect(intToIp(ipToInt('192.168.10.254'))).toBe('192.168.10.254');
  });
});

describe('firstFreeIp', () => {
  it.each([
    { name: 'skips network and first host', cidr: '10.244.1.0/24', used: [], want: '10.244.1.2' },
    { name: 'skips used', cidr: '10.244.1.0/24', used: ['10.244.1.2', '10.244.1.3'], want: '10.244.1.4' },
    { name: 'never the broadcast', cidr: '10.244.1.0/30', used: ['10.244.1.2'], want: undefined },
  ])('$name', ({ cidr, used, want }) => {
    expect(firstFreeIp(cidr, new Set(used))).toBe(want);
  });
});

describe('Ipam', () => {
  it('reserves what it hands out until released', () => {
    const ipam = new Ipam();
    expect(() => ipam.allocate([])).toThrow('podCIDR');
    ipam.setCidr('10.244.3.0/24');
    const a = ipam.allocate([]);
    const b = ipam.allocate([]);
    expect([a, b]).toEqual(['10.244.3.2', '10.244.3.3']);
    ipam.release(a);
    expect(ipam.allocate(['10.244.3.3'])).toBe('10.244.3.2');
  });
});
