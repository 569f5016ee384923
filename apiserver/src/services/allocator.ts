/**
 * Service address and NodePort allocation. Each allocated value is a key in etcd
 * (`<prefix>/ranges/serviceips/<ip>`, `<prefix>/ranges/servicenodeports/<port>`) created
 * with a create-if-absent transaction, so the same address is never handed out twice, even
 * across restarts or by two apiservers at once. Deleting a Service deletes its keys.
 */
import type { Etcd3 } from 'etcd3';
import { ApiError } from '@mk8s/shared';

export function parseCIDR(cidr: string): { base: number; size: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.trim());
  if (!m) throw new Error(`invalid CIDR ${cidr}`);
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits < 8 || bits > 30) throw new Error(`invalid service CIDR ${cidr} (prefix must be /8../30)`);
  const ip = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const size = 2 ** (32 - bits);
  return { base: ip - (ip % size), size };
}

export const ipToString = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
export function ipToNumber(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  return m.slice(1).reduce((acc, o) => acc * 256 + Number(o), 0);
}

export class RangeAllocator {
  private cursor = 0;

  constructor(
    private readonly etcd: Etcd3,
    private readonly keyPrefix: string,
    /** first and last usable values */
    readonly first: number,
    readonly last: number,
    private readonly format: (n: number) => string,
    private readonly what: string,
  ) {}

  private key(n: number): string {
    return `${this.keyPrefix}/${this.format(n)}`;
  }

  contains(n: number): boolean {
    return n >= this.first && n <= this.last;
  }

  /**
   * Claims a specific value: 'claimed' when this call took it, 'held' when `owner` already
   * had it (only a 'claimed' value may be given back when the owner's write fails), false
   * when another owner holds it.
   */
  async claim(n: number, owner: string): Promise<'claimed' | 'held' | false> {
    const key = this.key(n);
    const res = await this.etcd.if(key, 'Create', '==', 0).then(this.etcd.put(key).value(owner)).commit();
    if (res.succeeded) return 'claimed';
    return (await this.etcd.get(key).string()) === owner ? 'held' : false;
  }

  /** Claims the next free value after the last one handed out. */
  async allocate(owner: string): Promise<number> {
    const span = this.last - this.first + 1;
    const used = new Set((await this.etcd.getAll().prefix(`${this.keyPrefix}/`).keys()).map((k) => k.slice(this.keyPrefix.length + 1)));
    for (let i = 0; i < span; i++) {
      const n = this.first + ((this.cursor + i) % span);
      if (used.has(this.format(n))) continue;
      if ((await this.claim(n, owner)) === 'claimed') {
        this.cursor = (n - this.first + 1) % span;
        return n;
      }
    }
    throw new ApiError(500, 'InternalError', `Internal error occurred: failed to allocate a ${this.what}: range is full`);
  }

  async release(n: number): Promise<void> {
    await this.etcd.delete().key(this.key(n)).exec();
  }
}
