/**
 * IPv4 CIDR arithmetic for the node IPAM controller (kubernetes pkg/controller/nodeipam/ipam/
 * cidrset): the cluster CIDR is cut into blocks of `/maskSize`, numbered from 0 in address order.
 * Pure functions; addresses are handled as unsigned 32-bit numbers.
 */

export interface CidrSet {
  /** first address of the cluster CIDR */
  base: number;
  prefix: number;
  maskSize: number;
  /** number of blocks */
  count: number;
}

export function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export const formatIPv4 = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
  const [ip, bits] = cidr.split('/');
  const addr = parseIPv4(ip ?? '');
  const prefix = Number(bits);
  if (addr === undefined || !/^\d{1,2}$/.test(bits ?? '') || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: addr - (addr % size), prefix };
}

export function newCidrSet(clusterCidr: string, maskSize: number): CidrSet {
  const c = parseCidr(clusterCidr);
  if (!c) throw new Error(`invalid cluster CIDR ${JSON.stringify(clusterCidr)}`);
  if (maskSize < c.prefix || maskSize > 32) throw new Error(`node CIDR mask size ${maskSize} does not fit in ${clusterCidr}`);
  return { base: c.base, prefix: c.prefix, maskSize, count: 2 ** (maskSize - c.prefix) };
}

export const blockCidr = (set: CidrSet, i: number): string => `${formatIPv4(set.base + i * 2 ** (32 - set.maskSize))}/${set.maskSize}`;

/** Indexes of the blocks a CIDR overlaps (none when it is outside the cluster CIDR or invalid). */
export function blocksCoveredBy(set: CidrSet, cidr: string): number[] {
  const c = parseCidr(cidr);
  if (!c) return [];
  const blockSize = 2 ** (32 - set.maskSize);
  const start = Math.max(c.base, set.base);
  const end = Math.min(c.base + 2 ** (32 - c.prefix), set.base + set.count * blockSize);
  if (start >= end) return [];
  const first = Math.floor((start - set.base) / blockSize);
  const last = Math.floor((end - 1 - set.base) / blockSize);
  return Array.from({ length: last - first + 1 }, (_x, k) => first + k);
}

export function firstFreeBlock(set: CidrSet, used: Set<number>): number | undefined {
  for (let i = 0; i < set.count; i++) if (!used.has(i)) return i;
  return undefined;
}
