import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { silentLogger } from '@mk8s/shared';
import { newProxyMetrics } from './metrics.js';
import type { ServicePortSpec } from './service-map.js';
import { ServiceState } from './service-state.js';
import { TcpListener } from './tcp-proxy.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A backend on 127.0.0.1 that answers `name:` + what it read, after the client half-closes. */
async function backend(name: string): Promise<number> {
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    const chunks: Buffer[] = [];
    s.on('data', (b: Buffer) => chunks.push(b));
    s.on('end', () => s.end(`${name}:${Buffer.concat(chunks).toString()}`));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(() => srv.close());
  return (srv.address() as net.AddressInfo).port;
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function proxyTo(ports: number[]): Promise<{ port: number; metrics: ReturnType<typeof newProxyMetrics> }> {
  const spec: ServicePortSpec = {
    key: 'default/web:',
    namespace: 'default',
    name: 'web',
    portName: '',
    protocol: 'TCP',
    port: 0,
    affinityTimeoutMs: 0,
    endpoints: ports.map((port) => ({ ip: '127.0.0.1', port })),
  };
  const state = new ServiceState(spec);
  const metrics = newProxyMetrics(new Registry());
  const l = new TcpListener({ id: 'TCP|127.0.0.1|0', protocol: 'TCP', host: '127.0.0.1', port: 0, service: spec.key }, {
    state: () => state,
    metrics,
    log: silentLogger(),
    dialTimeoutMs: 2000,
  });
  await l.listen();
  cleanups.push(() => l.close());
  return { port: l.boundPort(), metrics };
}

/** Sends `msg`, half-closes, and resolves with the reply or the error code. */
function exchange(port: number, msg: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let out = '';
    s.on('connect', () => s.end(msg));
    s.on('data', (b: Buffer) => (out += b.toString()));
    s.on('end', () => resolve(out));
    s.on('error', (err: NodeJS.ErrnoException) => resolve(`error:${err.code}`));
  });
}

describe('TcpListener', () => {
  it('forwards round robin and keeps half-close (reply after the client ends)', async () => {
    const { port } = await proxyTo([await backend('a'), await backend('b')]);
    expect([await exchange(port, 'x'), await exchange(port, 'y'), await exchange(port, 'z')]).toEqual(['a:x', 'b:y', 'a:z']);
  });

  it('resets at once when there are no endpoints', async () => {
    const { port, metrics } = await proxyTo([]);
    expect(await exchange(port, 'x')).toBe('error:ECONNRESET');
    expect((await metrics.connections.get()).values.find((v) => v.labels.result === 'no_endpoints')?.value).toBe(1);
  });

  it.each([
    { name: 'dead first endpoint: the next one answers', dead: [true, false], want: 'b:x' },
    { name: 'all endpoints dead: reset', dead: [true, true], want: 'error:ECONNRESET' },
  ])('$name', async ({ dead, want }) => {
    const ports = await Promise.all(dead.map((d, i) => (d ? deadPort() : backend(['a', 'b'][i]!))));
    const { port, metrics } = await proxyTo(ports);
    expect(await exchange(port, 'x')).toBe(want);
    expect((await metrics.errors.get()).values.find((v) => v.labels.kind === 'dial')?.value).toBeGreaterThanOrEqual(1);
  });

  it('counts bytes each way when a connection closes', async () => {
    const { port, metrics } = await proxyTo([await backend('a')]);
    await exchange(port, 'hello');
    await new Promise((r) => setTimeout(r, 50));
    const bytes = Object.fromEntries((await metrics.bytes.get()).values.map((v) => [v.labels.direction, v.value]));
    expect(bytes).toEqual({ in: 5, out: 7 });
  });
});
