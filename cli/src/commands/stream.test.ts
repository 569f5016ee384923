import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { RestClient, ApiError } from '@mk8s/shared';
import type { Context } from '../context.js';
import { runExec } from './exec.js';
import { runLogs } from './logs.js';

/** A fake apiserver: two pods, a log endpoint echoing its query, and an exec WebSocket. */
let server: http.Server;
let base: string;
let protocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const stdinSeen: Buffer[] = [];

const pods: Record<string, unknown> = {
  p: { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } },
  multi: { metadata: { name: 'multi', namespace: 'default' }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } },
};

const status = (code: number, reason: string, message: string): string => JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message });

function handleExec(ws: WebSocket, url: URL): void {
  const send = (ch: number, data: string): void => ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(data)]));
  const command = url.searchParams.getAll('command');
  send(1, `ran ${command.join(' ')} in ${url.searchParams.get('container') ?? ''}\n`);
  send(2, 'some stderr\n');
  const finish = (exit: number): void => {
    send(3, JSON.stringify(exit === 0 ? { status: 'Success', metadata: {} } : { status: 'Failure', reason: 'NonZeroExitCode', message: `exit ${exit}`, details: { causes: [{ reason: 'ExitCode', message: String(exit) }] } }));
    ws.close();
  };
  if (url.searchParams.get('stdin') !== 'true') return finish(command.includes('fail') ? 7 : 0);
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0) {
      stdinSeen.push(data.subarray(1));
      send(1, `echo: ${data.subarray(1).toString()}`);
    } else if (data[0] === 255 && data[1] === 0) finish(3);
  });
}

beforeAll(async () => {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => protocols.find((p) => offered.has(p)) ?? false });
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/default\/pods\/([^/]+)(\/log)?$/.exec(url.pathname);
    const pod = m ? pods[m[1]!] : undefined;
    if (!pod) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(status(404, 'NotFound', `pods "${m?.[1] ?? '?'}" not found`));
      return;
    }
    if (m![2]) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(`query ${url.searchParams.toString()}\n`);
      res.end('second line\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pod));
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.includes('/pods/forbidden/')) {
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\n\r\n${status(403, 'Forbidden', 'exec is not allowed')}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => handleExec(ws, url));
  });
  pods.forbidden = { metadata: { name: 'forbidden' }, spec: { containers: [{ name: 'c' }] } };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function testContext(stdin?: string): { ctx: Context; out: () => string; err: () => string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const config = { server: base };
  const ctx: Context = {
    client: new RestClient(config),
    config,
    namespace: 'default',
    namespaceExplicit: false,
    out: { write: (s) => out.push(Buffer.from(s)) },
    err: { write: (s) => err.push(Buffer.from(s)) },
    stdin: () => Readable.from(stdin === undefined ? [] : [Buffer.from(stdin)]),
    terminalSize: () => ({ columns: 80, rows: 24 }),
  };
  return { ctx, out: () => Buffer.concat(out).toString(), err: () => Buffer.concat(err).toString() };
}

describe('exec over the channel protocol', () => {
  it.each([
    { name: 'success', proto: ['v5.channel.k8s.io'], command: ['ls', '-l'], stdin: undefined, code: 0, out: 'ran ls -l in c\n', err: 'some stderr\n' },
    { name: 'non-zero exit code from the status channel', proto: ['v5.channel.k8s.io'], command: ['fail'], stdin: undefined, code: 7, out: 'ran fail in c\n', err: 'some stderr\ncommand terminated with exit code 7\n' },
    { name: 'stdin then EOF frame (v5)', proto: ['v5.channel.k8s.io'], command: ['cat'], stdin: 'hello', code: 3, out: 'ran cat in c\necho: hello', err: 'some stderr\ncommand terminated with exit code 3\n' },
    { name: 'falls back to v4', proto: ['v4.channel.k8s.io'], command: ['true'], stdin: undefined, code: 0, out: 'ran true in c\n', err: 'some stderr\n' },
  ])('$name', async ({ proto, command, stdin, code, out, err }) => {
    protocols = proto;
    const t = testContext(stdin);
    const got = await runExec(t.ctx, 'p', command, { stdin: stdin !== undefined });
    expect(got).toBe(code);
    expect(t.out()).toBe(out);
    expect(t.err()).toBe(err);
    t.ctx.client.close();
  });

  it('a refused upgrade is a server error', async () => {
    protocols = ['v5.channel.k8s.io'];
    const t = testContext();
    await expect(runExec(t.ctx, 'pod/forbidden', ['ls'], {})).rejects.toSatisfy((e) => e instanceof ApiError && e.reason === 'Forbidden');
  });

  it('needs a command', async () => {
    await expect(runExec(testContext().ctx, 'p', [], {})).rejects.toThrow(/at least one command/);
  });
});

describe('logs', () => {
  it.each([
    { name: 'defaults to the only container', pod: 'p', opts: {}, want: 'query container=c\nsecond line\n' },
    {
      name: 'passes follow, tail, timestamps, previous and since',
      pod: 'pod/multi',
      opts: { container: 'b', follow: true, tail: '5', timestamps: true, previous: true, since: '2m' },
      want: 'query container=b&follow=true&tailLines=5&timestamps=true&previous=true&sinceSeconds=120\nsecond line\n',
    },
  ])('$name', async ({ pod, opts, want }) => {
    const t = testContext();
    expect(await runLogs(t.ctx, pod, opts)).toBe(0);
    expect(t.out()).toBe(want);
  });

  it.each([
    { name: 'several containers and no -c', pod: 'multi', err: 'a container name must be specified for pod multi, choose one of: [a b]' },
    { name: 'missing pod', pod: 'nope', err: 'pods "nope" not found' },
  ])('$name', async ({ pod, err }) => {
    await expect(runLogs(testContext().ctx, pod, {})).rejects.toThrow(err);
  });
});
