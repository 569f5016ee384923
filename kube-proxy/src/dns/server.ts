/**
 * The cluster DNS server: UDP and TCP (2-byte length framing, several queries per
 * connection) on one address and port. Each query's first question is answered from the
 * cluster view (`answerQuestion`) or forwarded upstream; malformed packets get FORMERR when
 * an id can be read, else nothing. UDP answers over 512 bytes (no EDNS) are truncated with TC
 * set so the client retries over TCP.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Logger } from 'pino';
import { answerQuestion, RCODE, type DnsView } from './answer.js';
import { forwardQuery } from './upstream.js';

export interface DnsServerOptions {
  view: DnsView;
  domain: string;
  ttl: number;
  upstreams: ReadonlyArray<{ ip: string; port: number }>;
  upstreamTimeoutMs: number;
  log: Logger;
  onQuery?(type: string, rcode: number): void;
}

const QR = 0x8000;
const RA = dnsPacket.RECURSION_AVAILABLE;
const AA = dnsPacket.AUTHORITATIVE_ANSWER;

function errorReply(query: Buffer, rcode: number): Buffer | undefined {
  if (query.length < 12) return undefined;
  const out = Buffer.alloc(12);
  query.copy(out, 0, 0, 2);
  const rd = query.readUInt16BE(2) & dnsPacket.RECURSION_DESIRED;
  out.writeUInt16BE(QR | rd | RA | rcode, 2);
  return out;
}

export async function handleQuery(query: Buffer, o: DnsServerOptions, maxUdp?: number): Promise<Buffer | undefined> {
  let req: dnsPacket.DecodedPacket;
  try {
    req = dnsPacket.decode(query);
  } catch {
    o.onQuery?.('invalid', RCODE.FORMERR);
    return errorReply(query, RCODE.FORMERR);
  }
  const q = req.questions?.[0];
  if (req.type !== 'query' || !q) {
    o.onQuery?.('invalid', RCODE.FORMERR);
    return errorReply(query, RCODE.FORMERR);
  }
  const result = answerQuestion(q, o.view, o.domain, o.ttl);
  if (result.kind === 'forward') {
    if (!o.upstreams.length) {
      o.onQuery?.(q.type, RCODE.REFUSED);
      return errorReply(query, RCODE.REFUSED);
    }
    const reply = await forwardQuery(query, o.upstreams, o.upstreamTimeoutMs);
    o.onQuery?.(q.type, reply ? (reply.readUInt16BE(2) & 0xf) : RCODE.SERVFAIL);
    return reply ?? errorReply(query, RCODE.SERVFAIL);
  }
  o.onQuery?.(q.type, result.rcode);
  const flags = (req.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  const packet: dnsPacket.Packet = {
    type: 'response',
    id: req.id ?? 0,
    flags: flags | AA | RA | result.rcode,
    questions: [q],
    answers: result.answers,
    additionals: result.additionals,
    authorities: result.authorities,
  };
  let buf = dnsPacket.encode(packet);
  if (maxUdp && buf.length > maxUdp) {
    buf = dnsPacket.encode({ ...packet, flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], additionals: [], authorities: [] });
  }
  return buf;
}

export class DnsServer {
  private readonly udp = dgram.createSocket({ type: 'udp4' });
  private readonly tcp: net.Server;
  private readonly conns = new Set<net.Socket>();

  constructor(private readonly o: DnsServerOptions) {
    this.udp.on('message', (msg, rinfo) => {
      handleQuery(msg, o, 512).then(
        (reply) => reply && this.udp.send(reply, rinfo.port, rinfo.address),
        (err: unknown) => o.log.warn({ err }, 'dns query failed'),
      );
    });
    this.udp.on('error', (err) => o.log.warn({ err }, 'dns udp error'));
    this.tcp = net.createServer((sock) => this.onTcp(sock));
    this.tcp.on('error', (err) => o.log.warn({ err }, 'dns tcp error'));
  }

  async listen(host: string, port: number): Promise<{ port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, host, () => {
        this.tcp.off('error', reject);
        resolve();
      });
    });
    const actual = (this.tcp.address() as net.AddressInfo).port;
    await new Promise<void>((resolve, reject) => {
      this.udp.once('error', reject);
      this.udp.bind(actual, host, () => {
        this.udp.off('error', reject);
        resolve();
      });
    });
    return { port: actual };
  }

  private onTcp(sock: net.Socket): void {
    let buf = Buffer.alloc(0);
    this.conns.add(sock);
    sock.once('close', () => this.conns.delete(sock));
    sock.setTimeout(30_000, () => sock.destroy());
    sock.on('error', () => undefined);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        handleQuery(Buffer.from(msg), this.o).then(
          (reply) => {
            if (!reply || sock.destroyed) return;
            const head = Buffer.alloc(2);
            head.writeUInt16BE(reply.length);
            sock.write(Buffer.concat([head, reply]));
          },
          (err: unknown) => this.o.log.warn({ err }, 'dns query failed'),
        );
      }
    });
  }

  close(): void {
    this.tcp.close();
    for (const c of this.conns) c.destroy();
    try {
      this.udp.close();
    } catch {
      // closed
    }
  }
}
