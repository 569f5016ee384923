/**
 * Forwarding of names outside the cluster domain to the node's resolvers: the nameservers
 * of /etc/resolv.conf (or a given list), tried in order over UDP with a timeout each.
 * No upstreams -> the caller answers REFUSED; all failed -> SERVFAIL. The cluster DNS
 * address itself is never used as an upstream (it would loop).
 */
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';

/** `nameserver` lines of a resolv.conf (IPv4 only). */
export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\d+\.\d+\.\d+\.\d+)\s*$/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** `--dns-upstream`: `none`, a comma list of ip[:port], or empty for the resolv.conf file. */
export function resolveUpstreams(flag: string, resolvConfPath: string, exclude: readonly string[]): Array<{ ip: string; port: number }> {
  let list: string[];
  if (flag === 'none') list = [];
  else if (flag) list = flag.split(',').map((s) => s.trim()).filter(Boolean);
  else {
    try {
      list = parseResolvConf(readFileSync(resolvConfPath, 'utf8'));
    } catch {
      list = [];
    }
  }
  return list
    .map((s) => {
      const [ip, port] = s.split(':');
      return { ip: ip!, port: port ? Number(port) : 53 };
    })
    .filter((u) => !exclude.includes(u.ip));
}

export async function forwardQuery(query: Buffer, upstreams: ReadonlyArray<{ ip: string; port: number }>, timeoutMs: number): Promise<Buffer | undefined> {
  for (const u of upstreams) {
    const reply = await new Promise<Buffer | undefined>((resolve) => {
      const sock = dgram.createSocket('udp4');
      const done = (b: Buffer | undefined) => {
        clearTimeout(timer);
        try {
          sock.close();
        } catch {
          // closed
        }
        resolve(b);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      sock.on('error', () => done(undefined));
      sock.on('message', (msg, from) => {
        if (from.address === u.ip && msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg);
      });
      sock.send(query, u.port, u.ip);
    });
    if (reply) return reply;
  }
  return undefined;
}
