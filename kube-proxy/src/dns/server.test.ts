import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import * as dnsPacket from 'dns-packet';
import { silentLogger } from '@mk8s/shared';
import { handleQuery, type DnsServerOptions } from './server.js';
import { parseResolvConf, resolveUpstreams } from './upstream.js';

const opts: DnsServerOptions = {
  view: {
    service: (ns, name) =>
      ns === 'default' && name === 'web'
        ? { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { clusterIP: '10.96.0.20', ports: [{ port: 80 }] } }
        : undefined,
    endpoints: () => undefined,
  },
  domain: 'cluster.local',
  ttl: 5,
  upstreams: [],
  upstreamTimeoutMs: 100,
  log: silentLogger(),
};

const query = (name: string, type: dnsPacket.RecordType = 'A') =>
  dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] });

describe('handleQuery', () => {
  it.each([
    { name: 'cluster name answered', q: 'web.default.svc.cluster.local', rcode: 'NOERROR', answers: ['10.96.0.20'] },
    { name: 'unknown cluster name', q: 'x.default.svc.cluster.local', rcode: 'NXDOMAIN', answers: [] },
    { name: 'outside name without upstreams is refused', q: 'example.org', rcode: 'REFUSED', answers: [] },
  ])('$name', async ({ q, rcode, answers }) => {
    const reply = dnsPacket.decode((await handleQuery(query(q), opts))!);
    expect(reply.id).toBe(4242);
    expect(reply.flag_qr).toBe(true);
    expect(reply.flag_rd).toBe(true);
    expect((reply as unknown as { rcode: string }).rcode).toBe(rcode);
    expect((reply.answers ?? []).map((a) => String(a.data))).toEqual(answers);
  });

  it.each([
    { name: 'garbage with a header gets FORMERR', buf: Buffer.from('abcdefghijklmnop'), want: 'FORMERR' },
    { name: 'too short for a header gets nothing', buf: Buffer.from('ab'), want: 'none' },
  ])('$name', async ({ buf, want }) => {
    const reply = await handleQuery(buf, opts);
    expect(reply ? (dnsPacket.decode(reply) as unknown as { rcode: string }).rcode : 'none').toBe(want);
  });

  it('an answer too big for UDP is truncated', async () => {
    const many = { ...opts, view: { ...opts.view, service: () => ({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { clusterIP: 'None' } }) }, };
    const eps = { apiVersion: 'v1', kind: 'Endpoints', metadata: {}, subsets: [{ addresses: Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.9.${i + 1}` })) }] };
    const o = { ...many, view: { service: many.view.service, endpoints: () => eps } } as DnsServerOptions;
    const reply = dnsPacket.decode((await handleQuery(query('big.default.svc.cluster.local'), o, 512))!);
    expect(reply.flag_tc).toBe(true);
    expect(reply.answers).toEqual([]);
    const full = dnsPacket.decode((await handleQuery(query('big.default.svc.cluster.local'), o))!);
    expect(full.answers).toHaveLength(60);
  });
});

describe('upstreams', () => {
  it.each([
    { name: 'nameserver lines', text: '# c\nnameserver 10.0.0.2\nsearch x\nnameserver  10.0.0.3 \nnameserver ::1\n', want: ['10.0.0.2', '10.0.0.3'] },
    { name: 'none', text: 'search x\n', want: [] },
  ])('parseResolvConf: $name', ({ text, want }) => {
    expect(parseResolvConf(text)).toEqual(want);
  });

  it.each([
    { name: 'none disables forwarding', flag: 'none', want: [] },
    { name: 'explicit list with ports, cluster DNS excluded', flag: '10.0.0.2:5353,10.96.0.10', want: [{ ip: '10.0.0.2', port: 5353 }] },
    { name: 'missing resolv.conf gives none', flag: '', want: [] },
  ])('resolveUpstreams: $name', ({ flag, want }) => {
    expect(resolveUpstreams(flag, '/nonexistent/resolv.conf', ['10.96.0.10'])).toEqual(want);
  });
});

describe('forwarding', () => {
  /** A local upstream answering every question with 192.0.2.99. */
  async function fakeUpstream(): Promise<{ port: number; close: () => void }> {
    const sock = dgram.createSocket('udp4');
    sock.on('message', (msg, r) => {
      const q = dnsPacket.decode(msg);
      const reply = dnsPacket.encode({
        type: 'response',
        id: q.id,
        flags: dnsPacket.RECURSION_AVAILABLE,
        questions: q.questions,
        answers: [{ type: 'A', name: q.questions![0]!.name, ttl: 60, data: '192.0.2.99' }],
      });
      sock.send(reply, r.port, r.address);
    });
    await new Promise<void>((res) => sock.bind(0, '127.0.0.1', res));
    return { port: sock.address().port, close: () => sock.close() };
  }

  async function deadPort(): Promise<number> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((res) => s.bind(0, '127.0.0.1', res));
    const port = s.address().port;
    s.close();
    return port;
  }

  it.each([
    { name: 'names outside the domain go to the upstream', upstreams: ['live'], q: 'example.org', want: 'NOERROR 192.0.2.99' },
    { name: 'a dead upstream is skipped for the next one', upstreams: ['dead', 'live'], q: 'example.org', want: 'NOERROR 192.0.2.99' },
    { name: 'all upstreams dead: SERVFAIL', upstreams: ['dead'], q: 'example.org', want: 'SERVFAIL' },
    { name: 'cluster names never go upstream', upstreams: ['live'], q: 'nope.default.svc.cluster.local', want: 'NXDOMAIN' },
  ])('$name', async ({ upstreams, q, want }) => {
    const live = await fakeUpstream();
    try {
      const list = await Promise.all(upstreams.map(async (u) => ({ ip: '127.0.0.1', port: u === 'live' ? live.port : await deadPort() })));
      const reply = dnsPacket.decode((await handleQuery(query(q), { ...opts, upstreams: list, upstreamTimeoutMs: 300 }))!);
      const got = [(reply as unknown as { rcode: string }).rcode, ...(reply.answers ?? []).map((a) => String(a.data))].join(' ');
      expect(got).toBe(want);
      expect(reply.id).toBe(4242);
    } finally {
      live.close();
    }
  });
});
