/**
 * Service addresses local to the node: `ip addr add <ip>/32 dev <device> label <device>:<tag>`.
 * Addresses are owned by their label, so `sync(desired)` adds what is missing and removes
 * only labelled addresses that are no longer wanted (including ones left behind by an earlier
 * run with the same label that was killed). Adding an address that exists is not an error.
 * `removeAll()` is for shutdown. Runs `ip` (iproute2) through an injectable exec.
 */
import { execFile } from 'node:child_process';
import type { Logger } from 'pino';

export type Exec = (cmd: string, args: string[]) => Promise<string>;

export const execIp: Exec = (cmd, args) =>
  new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });

/** `lo` + `mk8s` -> `lo:mk8s` (Linux limits labels to 15 characters and wants the device prefix). */
export function addressLabel(device: string, tag: string): string {
  const label = `${device}:${tag}`;
  if (label.length > 15) throw new Error(`address label ${label} is longer than 15 characters`);
  return label;
}

/** IPv4 addresses in `ip -o -4 addr show` output. */
export function parseAddresses(out: string): string[] {
  return [...out.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\/\d+/g)].map((m) => m[1]!);
}

export class AddressManager {
  readonly label: string;
  private readonly owned = new Set<string>();

  constructor(
    readonly device: string,
    tag: string,
    private readonly log: Logger,
    private readonly exec: Exec = execIp,
  ) {
    this.label = addressLabel(device, tag);
  }

  /** Addresses on the device carrying our label. */
  async current(): Promise<string[]> {
    return parseAddresses(await this.exec('ip', ['-o', '-4', 'addr', 'show', 'dev', this.device, 'label', this.label]));
  }

  async sync(desired: ReadonlySet<string>): Promise<{ added: string[]; removed: string[] }> {
    const have = new Set(await this.current());
    const added: string[] = [];
    const removed: string[] = [];
    for (const ip of desired) {
      if (have.has(ip)) {
        this.owned.add(ip);
        continue;
      }
      await this.add(ip);
      added.push(ip);
    }
    for (const ip of have) {
      if (desired.has(ip)) continue;
      await this.remove(ip);
      removed.push(ip);
    }
    if (added.length || removed.length) this.log.info({ added, removed, device: this.device }, 'service addresses synced');
    return { added, removed };
  }

  async add(ip: string): Promise<void> {
    try {
      await this.exec('ip', ['addr', 'add', `${ip}/32`, 'dev', this.device, 'label', this.label]);
    } catch (err) {
      if (!/File exists/i.test((err as Error).message)) throw err;
    }
    this.owned.add(ip);
  }

  async remove(ip: string): Promise<void> {
    try {
      await this.exec('ip', ['addr', 'del', `${ip}/32`, 'dev', this.device]);
    } catch (err) {
      if (!/Cannot assign|not found|No such/i.test((err as Error).message)) throw err;
    }
    this.owned.delete(ip);
  }

  async removeAll(): Promise<void> {
    const ips = new Set([...this.owned, ...(await this.current().catch(() => []))]);
    for (const ip of ips) await this.remove(ip).catch((err: unknown) => this.log.warn({ err, ip }, 'address removal failed'));
    if (ips.size) this.log.info({ removed: [...ips], device: this.device }, 'service addresses removed');
  }
}
