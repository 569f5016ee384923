/**
 * The operational HTTP endpoint every long-running mk8s process serves: `/healthz` (200 while
 * the process's own checks pass), `/metrics` in Prometheus text format from a prom-client
 * registry. Built on node:http so that shared/ stays free of server frameworks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export type HealthCheck = () => boolean | string;

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startOpsServer(opts: {
  host: string;
  port: number;
  registry: Registry;
  /** each check returns true when healthy, or a reason string when not */
  checks?: Record<string, HealthCheck>;
}): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      const failed: string[] = [];
      for (const [name, check] of Object.entries(opts.checks ?? {})) {
        const r = check();
        if (r !== true) failed.push(`[-]${name} failed: ${r || 'unhealthy'}`);
      }
      res.writeHead(failed.length ? 503 : 200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(failed.length ? `${failed.join('\n')}\nhealthz check failed\n` : 'ok');
      return;
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': opts.registry.contentType });
          res.end(text);
        },
        (err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        },
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('404 page not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
