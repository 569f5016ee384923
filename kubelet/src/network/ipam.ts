/**
 * Pod IP assignment from this node's podCIDR.
 *
 * All pods of all nodes sit on one Docker bridge network spanning the cluster CIDR; each
 * kubelet hands out static addresses only from its own node's podCIDR, so pod IPs are
 * unique across nodes. The network address, the first host address (a Docker gateway may
 * live there) and the broadcast address are never handed out.
 * `Ipam` keeps in-process reservations so that concurrent pod workers never pick the same
 * address; callers pass the addresses already on containers (from labels) as `inUse`.
 */

export interface Cidr {
  base: number;
  prefix: number;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
    n = n * 256 + Number(p);
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): Cidr {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!ip || bits === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new Error(`invalid CIDR ${JSON.stringify(cidr)}`);
  }
  const size = 2 ** (32 - prefix);
  const base = ipToInt(ip) - (ipToInt(ip) % size);
  return { base, prefix };
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function cidrContains(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= c.base && n < c.base + cidrSize(c);
}

/** The lowest free host address of `cidr`, skipping network, first host and broadcast. */
export function firstFreeIp(cidr: string, inUse: ReadonlySet<string>): string | undefined {
  const c = parseCidr(cidr);
  const size = cidrSize(c);
  for (let off = 2; off < size - 1; off++) {
    const ip = intToIp(c.base + off);
    if (!inUse.has(ip)) return ip;
  }
  return undefined;
}

export class Ipam {
  private readonly reserved = new Set<string>();
  private cidr: string | undefined;

  setCidr(cidr: string): void {
    parseCidr(cidr);
    this.cidr = cidr;
  }

  get podCidr(): string | undefined {
    return this.cidr;
  }

  /** Picks and reserves an address; throws when no podCIDR is known or the range is full. */
  allocate(inUse: Iterable<string>): string {
    if (!this.cidr) throw new Error('node has no podCIDR yet');
    const used = new Set([...inUse, ...this.reserved]);
    const ip = firstFreeIp(this.cidr, used);
    if (!ip) throw new Error(`no free pod IP in ${this.cidr}`);
    this.reserved.add(ip);
    return ip;
  }

  release(ip: string): void {
    this.reserved.delete(ip);
  }
}
