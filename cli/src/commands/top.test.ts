import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { RestClient } from '@mk8s/shared';
import type { Context } from '../context.js';
import { runTop } from './top.js';

/** A fake apiserver serving metrics.k8s.io and nodes; `/apis/metrics.k8s.io/...` 404s when metrics are off. */
let server: http.Server;
let base: string;
let metricsOn = true;

const list = (kind: string, items: unknown[]): string => JSON.stringify({ kind, apiVersion: 'v1', metadata: {}, items });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (body: string, code = 200): void => void res.writeHead(code, { 'content-type': 'application/json' }).end(body);
    if (url.pathname.startsWith('/apis/metrics.k8s.io') && !metricsOn) return json(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' }), 404);
    if (url.pathname === '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods') {
      return json(list('PodMetricsList', [
        { metadata: { name: 'web', namespace: 'default' }, containers: [{ name: 'a', usage: { cpu: '1500000n', memory: '10240Ki' } }, { name: 'b', usage: { cpu: '250m', memory: '5Mi' } }] },
      ]));
    }
    if (url.pathname === '/apis/metrics.k8s.io/v1beta1/nodes') return json(list('NodeMetricsList', [{ metadata: { name: 'n1' }, usage: { cpu: '500m', memory: '1Gi' } }]));
    if (url.pathname === '/api/v1/nodes') return json(list('NodeList', [{ metadata: { name: 'n1' }, status: { allocatable: { cpu: '2', memory: '4Gi' } } }]));
    json('{}', 404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function testContext(): { ctx: Context; out: () => string } {
  let out = '';
  const config = { server: base };
  const ctx: Context = {
    client: new RestClient(config),
    config,
    namespace: 'default',
    namespaceExplicit: false,
    out: { write: (s) => (out += s.toString()) },
    err: { write: () => {} },
    stdin: () => Readable.from([]),
    terminalSize: () => ({ columns: 80, rows: 24 }),
  };
  return { ctx, out: () => out };
}

describe('top', () => {
  it.each([
    { name: 'pods sum their containers', what: 'pods', opts: {}, want: ['NAME   CPU(cores)   MEMORY(bytes)', 'web    252m         15Mi'] },
    { name: 'pods per container', what: 'pod', opts: { containers: true }, want: ['NAME   CONTAINER   CPU(cores)   MEMORY(bytes)', 'web    a           2m           10Mi', 'web    b           250m         5Mi'] },
    { name: 'nodes with percentages of allocatable', what: 'nodes', opts: {}, want: ['NAME   CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%', 'n1     500m         25%    1024Mi          25%'] },
  ])('$name', async ({ what, opts, want }) => {
    metricsOn = true;
    const t = testContext();
    expect(await runTop(t.ctx, what, undefined, opts)).toBe(0);
    expect(t.out()).toBe(want.join('\n') + '\n');
  });

  it('says when the metrics API is missing', async () => {
    metricsOn = false;
    await expect(runTop(testContext().ctx, 'pods', undefined, {})).rejects.toThrow('Metrics API not available');
  });

  it('rejects other kinds', async () => {
    await expect(runTop(testContext().ctx, 'services', undefined, {})).rejects.toThrow(/unknown top target/);
  });
});
