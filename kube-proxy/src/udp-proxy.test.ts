import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { silentLogger } from '@mk8s/shared';
import { newProxyMetrics } from './metrics.js';
import { ServiceState } from './service-state.js';
import { UdpListener } from './udp-proxy.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function bound(sock: dgram.Socket): Promise<number> {
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  cleanups.push(() => sock.close());
  return sock.address().port;
}

/** A UDP backend answering `<name>:<datagram>`. */
async function echo(name: string): Promise<number> {
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => s.send(`${name}:${m.toString()}`, r.port, r.address));
  return bound(s);
}

function ask(client: dgram.Socket, port: number, msg: string): Promise<string> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve('timeout'), 1000);
    client.once('message', (m) => {
      clearTimeout(t);
      resolve(m.toString());
    });
    client.send(msg, port, '127.0.0.1');
  });
}

describe('UdpListener', () => {
  it('maps each client to one endpoint, spreads clients, and drops idle mappings', async () => {
    const state = new ServiceState({
      key: 'kube-system/kube-dns:dns',
      namespace: 'kube-system',
      name: 'kube-dns',
      portName: 'dns',
      protocol: 'UDP',
      port: 0,
      affinityTimeoutMs: 0,
      endpoints: [
        { ip: '127.0.0.1', port: await echo('a') },
        { ip: '127.0.0.1', port: await echo('b') },
      ],
    });
    const l = new UdpListener({ id: 'UDP|127.0.0.1|0', protocol: 'UDP', host: '127.0.0.1', port: 0, service: state.spec.key }, {
      state: () => state,
      metrics: newProxyMetrics(new Registry()),
      log: silentLogger(),
      dialTimeoutMs: 1000,
      idleMs: 200,
    });
    await l.listen();
    cleanups.push(() => l.close());
    const port = l.boundPort();
    const c1 = dgram.createSocket('udp4');
    const c2 = dgram.createSocket('udp4');
    await bound(c1);
    await bound(c2);
    expect([await ask(c1, port, 'q1'), await ask(c1, port, 'q2'), await ask(c2, port, 'q3')]).toEqual(['a:q1', 'a:q2', 'b:q3']);
    expect(l.sessionCount()).toBe(2);
    await new Promise((r) => setTimeout(r, 400));
    expect(l.sessionCount()).toBe(0);
  });
});
