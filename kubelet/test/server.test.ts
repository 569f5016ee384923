import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Docker from 'dockerode';
import http from 'node:http';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { silentLogger } from '@mk8s/shared';
import { startKubeletServer, type KubeletServer } from '../src/server/index.js';
import { ensureBusyboxImage } from './util/busybox-image.js';
import { containerIP, createTestContainer, removeNodeContainers, uniqueNode } from './util/test-containers.js';
import { startPassthroughApiserver, type PassthroughApiserver } from './util/passthrough-apiserver.js';
import { openExec } from './util/exec-client.js';
import { kubectlBinary } from '@mk8s/shared/testing';

const docker = new Docker();
const node = uniqueNode('server-test');
const otherNode = uniqueNode('server-test-other');
const TOKEN = 'good-token';
let server: KubeletServer;
let base = '';
let stoppedId = '';

interface Reply {
  status: number;
  type: string | undefined;
  body: string;
}

function get(path: string, token: string | null = TOKEN): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    http
      .get(`${base}${path}`, { headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Polls (bounded) until the container's logs contain `text`. */
async function waitForLogs(path: string, text: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await get(path)).body.includes(text)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`logs of ${path} never contained ${text}`);
}

async function waitForExit(id: string): Promise<void> {
  await docker.getContainer(id).wait();
}

const wsUrl = (path: string): string => `${base.replace('http', 'ws')}${path}`;

beforeAll(async () => {
  await ensureBusyboxImage(docker);
  await createTestContainer(docker, {
    node,
    pod: 'talker',
    container: 'main',
    cmd: ['sh', '-c', 'echo one; echo two; echo three; exec sleep 3600'],
  });
  // Docker copies stdout and stderr separately, so their relative order in the log is not
  // guaranteed: stderr is checked on its own container.
  await createTestContainer(docker, { node, pod: 'grumbler', container: 'main', cmd: ['sh', '-c', 'echo to-stderr >&2; exec sleep 3600'] });
  const first = await createTestContainer(docker, { node, pod: 'restarter', container: 'app', restartCount: 0, cmd: ['echo', 'first-instance'] });
  await waitForExit(first.id);
  await createTestContainer(docker, { node, pod: 'restarter', container: 'app', restartCount: 1, cmd: ['sh', '-c', 'echo second; exec sleep 3600'] });
  const stopped = await createTestContainer(docker, { node, pod: 'done', container: 'app', cmd: ['true'] });
  await waitForExit(stopped.id);
  stoppedId = stopped.id;
  await createTestContainer(docker, { node: otherNode, pod: 'elsewhere', container: 'app', cmd: ['sleep', '3600'] });
  await createTestContainer(docker, { node, pod: 'shell', container: 'sh', cmd: ['sleep', '3600'] });
  await createTestContainer(docker, { node, pod: 'teletype', container: 't', tty: true, cmd: ['sh', '-c', 'echo tty-line; exec sleep 3600'] });
  server = await startKubeletServer({
    docker,
    nodeName: node,
    host: '127.0.0.1',
    port: 0,
    authenticate: async (t) => t === TOKEN,
    logger: silentLogger(),
  });
  base = `http://127.0.0.1:${server.port}`;
  await waitForLogs('/containerLogs/default/talker/main', 'three');
  await waitForLogs('/containerLogs/default/restarter/app', 'second');
  await waitForLogs('/containerLogs/default/teletype/t', 'tty-line');
  await waitForLogs('/containerLogs/default/grumbler/main', 'to-stderr');
});

afterAll(async () => {
  await server?.close();
  await removeNodeContainers(docker, node);
  await removeNodeContainers(docker, otherNode);
});

describe('authentication', () => {
  it.each<[string, string, string | null, number]>([
    ['healthz is open', '/healthz', null, 200],
    ['logs without a token', '/containerLogs/default/talker/main', null, 401],
    ['logs with a bad token', '/containerLogs/default/talker/main', 'wrong', 401],
    ['logs with a good token', '/containerLogs/default/talker/main', TOKEN, 200],
    ['unknown path with a bad token', '/nope', 'wrong', 401],
  ])('%s', async (_name, path, token, want) => {
    const r = await get(path, token);
    expect(r.status).toBe(want);
    if (want === 401) expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });
});

describe('GET /containerLogs', () => {
  it.each<[string, string, number, string | RegExp]>([
    ['plain', '/containerLogs/default/talker/main', 200, 'one\ntwo\nthree\n'],
    ['stderr', '/containerLogs/default/grumbler/main', 200, 'to-stderr\n'],
    ['tailLines', '/containerLogs/default/talker/main?tailLines=1', 200, 'three\n'],
    ['limitBytes', '/containerLogs/default/talker/main?limitBytes=5', 200, 'one\nt'],
    ['timestamps', '/containerLogs/default/talker/main?timestamps=true&tailLines=1', 200, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z three\n$/],
    ['current instance', '/containerLogs/default/restarter/app', 200, 'second\n'],
    ['previous instance', '/containerLogs/default/restarter/app?previous=true', 200, 'first-instance\n'],
    ['exited container', '/containerLogs/default/done/app', 200, ''],
    ['tty container (raw stream)', '/containerLogs/default/teletype/t', 200, 'tty-line\r\n'],
  ])('%s', async (_name, path, status, body) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(r.type).toMatch(/^text\/plain/);
    if (typeof body === 'string') expect(r.body).toBe(body);
    else expect(r.body).toMatch(body);
  });

  it.each<[string, string, number, string, string]>([
    ['unknown pod', '/containerLogs/default/ghost/main', 404, 'NotFound', 'pod "default/ghost" does not exist'],
    ['container not created yet', '/containerLogs/default/talker/ghost', 400, 'BadRequest', 'container "ghost" in pod "talker" is waiting to start: ContainerCreating'],
    ['other namespace', '/containerLogs/other/talker/main', 404, 'NotFound', 'pod "other/talker" does not exist'],
    ['another node\'s pod', '/containerLogs/default/elsewhere/app', 404, 'NotFound', 'pod "default/elsewhere" does not exist'],
    ['no previous instance', '/containerLogs/default/talker/main?previous=true', 400, 'BadRequest', 'previous terminated container "main" in pod "talker" not found'],
    ['bad tailLines', '/containerLogs/default/talker/main?tailLines=x', 400, 'BadRequest', 'invalid value for tailLines: "x" is not an integer'],
  ])('%s', async (_name, path, code, reason, message) => {
    const r = await get(path);
    expect(r.status).toBe(code);
    expect(JSON.parse(r.body)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message });
  });

  it('follow streams lines written later and ends when the container stops', async () => {
    const c = await createTestContainer(docker, {
      node,
      pod: 'follower',
      container: 'main',
      cmd: ['sh', '-c', 'echo start; for i in $(seq 1 600); do [ -f /tmp/go ] && break; sleep 0.1; done; echo later'],
    });
    await waitForLogs('/containerLogs/default/follower/main', 'start');
    let body = '';
    let sawStart!: () => void;
    const started = new Promise<void>((r) => (sawStart = r));
    const ended = new Promise<number>((resolve, reject) => {
      http
        .get(`${base}/containerLogs/default/follower/main?follow=true`, { headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
            if (body.includes('start\n')) sawStart();
          });
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject);
    });
    await started;
    expect(body).toBe('start\n');
    const exec = await c.exec({ Cmd: ['touch', '/tmp/go'] });
    await exec.start({ Detach: true });
    expect(await ended).toBe(200);
    expect(body).toBe('start\nlater\n');
  });

  it('follow stops the Docker stream when the client goes away', async () => {
    let destroyed!: () => void;
    const gone = new Promise<void>((r) => (destroyed = r));
    const req = http.get(`${base}/containerLogs/default/talker/main?follow=true`, { headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      res.once('data', () => {
        req.destroy();
        destroyed();
      });
    });
    req.on('error', () => undefined);
    await gone;
    // The server keeps serving afterwards.
    expect((await get('/containerLogs/default/talker/main?tailLines=1')).body).toBe('three\n');
  });
});

describe('GET /exec over WebSocket', () => {
  it('v5: stdout, stderr and Success', async () => {
    const s = openExec(wsUrl('/exec/default/shell/sh?command=sh&command=-c&command=echo%20hello%3B%20echo%20oops%20%3E%262&stdout=true&stderr=true'), { token: TOKEN });
    const r = await s.done;
    expect(r).toMatchObject({ protocol: 'v5.channel.k8s.io', stdout: 'hello\n', stderr: 'oops\n', closeCode: 1000 });
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('v4 is accepted too', async () => {
    const s = openExec(wsUrl('/exec/default/shell/sh?command=echo&command=v4&stdout=true'), { token: TOKEN, protocols: ['v4.channel.k8s.io'] });
    const r = await s.done;
    expect(r).toMatchObject({ protocol: 'v4.channel.k8s.io', stdout: 'v4\n', status: { status: 'Success' } });
  });

  it('the path may name the pod UID', async () => {
    const r = await openExec(wsUrl('/exec/default/shell/uid-shell/sh?command=echo&command=by-uid&stdout=true'), { token: TOKEN }).done;
    expect(r).toMatchObject({ stdout: 'by-uid\n', status: { status: 'Success' } });
  });

  it('a non-zero exit code becomes a NonZeroExitCode Status', async () => {
    const s = openExec(wsUrl('/exec/default/shell/sh?command=sh&command=-c&command=exit%203&stdout=true&stderr=true'), { token: TOKEN });
    const r = await s.done;
    expect(r.status).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(r.closeCode).toBe(1000);
  });

  it('stdin is piped and [255, 0] closes it', async () => {
    const s = openExec(wsUrl('/exec/default/shell/sh?command=cat&stdin=true&stdout=true&stderr=true'), { token: TOKEN });
    s.sendStdin('abc\n');
    await s.waitForStdout('abc\n');
    s.sendStdin('def');
    s.closeStdin();
    const r = await s.done;
    expect(r.stdout).toBe('abc\ndef');
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('tty: runs on a terminal that follows resizes', async () => {
    const s = openExec(
      wsUrl('/exec/default/shell/sh?command=sh&command=-c&command=tty%3B%20while%20read%20x%3B%20do%20stty%20size%3B%20done&stdin=true&stdout=true&tty=true'),
      { token: TOKEN },
    );
    await s.waitForStdout('/dev/pts/');
    s.resize(123, 45);
    // The resize and stdin travel separately; ask again (bounded) until the new size shows.
    for (let i = 0; i < 50 && !s.result.stdout.includes('45 123'); i++) {
      s.sendStdin('\n');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(s.result.stdout).toContain('45 123');
    s.sendStdin('\u0004'); // ^D on the terminal: read sees EOF, the loop and the shell end
    const r = await s.done;
    expect(r.stderr).toBe('');
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('a stopped container answers a Failure Status after the upgrade', async () => {
    const s = openExec(wsUrl('/exec/default/done/app?command=true&stdout=true'), { token: TOKEN });
    const r = await s.done;
    expect(r.status).toMatchObject({ status: 'Failure', reason: 'InternalError' });
    expect(r.status?.message).toContain(`is not running`);
    expect(stoppedId).not.toBe('');
  });

  it.each<[string, string, string | undefined, number, string]>([
    ['no token', '/exec/default/shell/sh?command=true&stdout=true', undefined, 401, 'Unauthorized'],
    ['bad token', '/exec/default/shell/sh?command=true&stdout=true', 'wrong', 401, 'Unauthorized'],
    ['unknown pod', '/exec/default/ghost/sh?command=true&stdout=true', TOKEN, 404, 'NotFound'],
    ['unknown container', '/exec/default/shell/ghost?command=true&stdout=true', TOKEN, 404, 'NotFound'],
    ['wrong pod UID', '/exec/default/shell/uid-other/sh?command=true&stdout=true', TOKEN, 404, 'NotFound'],
    ['unknown path', '/nope/default/shell', TOKEN, 404, 'NotFound'],
    ['port forward without the SPDY subprotocol', '/portForward/default/fwd', TOKEN, 400, 'BadRequest'],
    ['another node\'s pod', '/exec/default/elsewhere/app?command=true&stdout=true', TOKEN, 404, 'NotFound'],
    ['no command', '/exec/default/shell/sh?stdout=true', TOKEN, 400, 'BadRequest'],
  ])('refused upgrade: %s', async (_name, path, token, code, reason) => {
    const r = await openExec(wsUrl(path), { token }).done;
    expect(r.httpStatus).toBe(code);
    expect(JSON.parse(r.httpBody ?? '{}')).toMatchObject({ kind: 'Status', code, reason });
  });

  it('a refused upgrade closes the connection: pipelined bytes after it are never served', async () => {
    const upgrade = [
      'GET /exec/default/shell/sh?command=true&stdout=true HTTP/1.1',
      'Host: kubelet',
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Protocol: v5.channel.k8s.io',
      '',
      '',
    ].join('\r\n');
    const smuggled = `GET /containerLogs/default/talker/main HTTP/1.1\r\nHost: kubelet\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`;
    const received = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1', () => sock.write(upgrade + smuggled));
      let data = '';
      sock.on('data', (c: Buffer) => (data += c.toString()));
      sock.on('close', () => resolve(data));
      sock.on('error', reject);
    });
    expect(received).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(received.match(/HTTP\/1\.1/g)).toHaveLength(1);
    expect(received).not.toContain('one\n');
  });

  it.each<[string, string, string | undefined, number]>([
    ['unknown pod', '/portForward/default/ghost', TOKEN, 404],
    ['pod without a sandbox', '/portForward/default/shell', TOKEN, 400],
    ['no token', '/portForward/default/fwd', undefined, 401],
  ])('refused port-forward upgrade: %s', async (_name, path, token, code) => {
    // The ws client refuses '/' in a subprotocol name, so speak HTTP directly (as kubectl does).
    const request = [
      `GET ${path} HTTP/1.1`,
      'Host: kubelet',
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io',
      ...(token ? [`Authorization: Bearer ${token}`] : []),
      '',
      '',
    ].join('\r\n');
    const answer = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1', () => sock.write(request));
      let data = '';
      sock.on('data', (c: Buffer) => (data += c.toString()));
      sock.on('close', () => resolve(data));
      sock.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toBe(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}`);
  });

  it('refuses clients without a supported subprotocol', async () => {
    const r = await openExec(wsUrl('/exec/default/shell/sh?command=true&stdout=true'), { token: TOKEN, protocols: ['channel.k8s.io'] }).done;
    expect(r.httpStatus).toBe(400);
  });

  it('a plain GET to /exec asks for an upgrade', async () => {
    const r = await get('/exec/default/shell/sh?command=true&stdout=true');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ reason: 'BadRequest', message: 'Upgrade request required' });
  });
});

describe('GET /attach over WebSocket', () => {
  it('pipes stdin to the container process; closing stdin ends a stdinOnce container', async () => {
    await createTestContainer(docker, { node, pod: 'attach-cat', container: 'c', cmd: ['cat'], openStdin: true, stdinOnce: true });
    const s = openExec(wsUrl('/attach/default/attach-cat/c?stdin=true&stdout=true&stderr=true'), { token: TOKEN });
    s.sendStdin('hi\n');
    await s.waitForStdout('hi\n');
    s.closeStdin();
    const r = await s.done;
    expect(r.stdout).toBe('hi\n');
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('tty: an interactive shell', async () => {
    await createTestContainer(docker, { node, pod: 'attach-tty', container: 'c', cmd: ['sh'], openStdin: true, stdinOnce: true, tty: true });
    const s = openExec(wsUrl('/attach/default/attach-tty/c?stdin=true&stdout=true&tty=true'), { token: TOKEN });
    s.sendStdin('echo hi-$((40+2))\n');
    await s.waitForStdout('hi-42');
    s.sendStdin('exit\n');
    const r = await s.done;
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('output only: receives what the process writes after attaching', async () => {
    const c = await createTestContainer(docker, {
      node,
      pod: 'attach-out',
      container: 'c',
      cmd: ['sh', '-c', 'for i in $(seq 1 600); do [ -f /tmp/go ] && break; echo waiting; sleep 0.1; done; echo attached-output; echo to-stderr >&2'],
    });
    const s = openExec(wsUrl('/attach/default/attach-out/c?stdout=true&stderr=true'), { token: TOKEN });
    await s.waitForStdout('waiting\n'); // attached: output written from now on reaches us
    const exec = await c.exec({ Cmd: ['touch', '/tmp/go'] });
    await exec.start({ Detach: true });
    const r = await s.done;
    expect(r.stdout).toMatch(/^(waiting\n)+attached-output\n$/);
    expect(r).toMatchObject({ stderr: 'to-stderr\n', status: { status: 'Success' } });
  });

  it('stdin on a container without an open stdin is a Failure Status', async () => {
    const r = await openExec(wsUrl('/attach/default/shell/sh?stdin=true&stdout=true'), { token: TOKEN }).done;
    expect(r.status).toMatchObject({ status: 'Failure', message: 'stdin is not enabled for this container (set stdin: true in its spec)' });
  });
});


describe('exec with the stock kubectl over SPDY/3.1 (1.29, 1.27)', () => {
  let apiserver: PassthroughApiserver;

  beforeAll(async () => {
    apiserver = await startPassthroughApiserver({ kubeletPort: server.port, kubeletToken: TOKEN, namespace: 'default', pod: 'shell', containers: ['sh'] });
  });

  afterAll(async () => {
    await apiserver?.close();
  });

  const kubectl = (version: string, args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(kubectlBinary(version), [`--server=${apiserver.url}`, '--token=any', ...args]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });

  describe.each(['1.29', '1.27'])('kubectl %s', (version) => {
    it.each<[string, string[], string, { code: number; stdout: string; stderr?: string }]>([
      ['stdout and stderr', ['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2'], '', { code: 0, stdout: 'out\n', stderr: 'err\n' }],
      ['exit code', ['exec', 'shell', '--', 'sh', '-c', 'exit 3'], '', { code: 3, stdout: '' }],
      ['stdin', ['exec', '-i', 'shell', '--', 'cat'], 'piped\ninput', { code: 0, stdout: 'piped\ninput' }],
      ['large output', ['exec', 'shell', '--', 'sh', '-c', 'head -c 500000 /dev/zero | tr "\\0" z'], '', { code: 0, stdout: 'z'.repeat(500_000) }],
    ])('%s', async (_name, args, stdin, want) => {
      const got = await kubectl(version, args, stdin);
      expect(got.code).toBe(want.code);
      expect(got.stdout).toBe(want.stdout);
      if (want.stderr !== undefined) expect(got.stderr).toBe(want.stderr);
    });
  });
});

describe('port forwarding with the stock kubectl (SPDY/3.1, raw and in a WebSocket)', () => {
  let apiserver: PassthroughApiserver;
  let sandboxId = '';

  const freePort = (): Promise<number> =>
    new Promise((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });

  const fetchText = (port: number, path: string): Promise<string> =>
    new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });

  beforeAll(async () => {
    const script =
      'mkdir -p /www; echo forwarded > /www/index.html; head -c 300000 /dev/zero | tr "\\0" x > /www/big.txt; ' +
      'nc -l -p 9001 > /tmp/up-9001 & nc -l -p 9002 > /tmp/up-9002 & nc -l -p 9003 > /tmp/up-9003 & exec httpd -f -p 8080 -h /www';
    const sb = await createTestContainer(docker, { node, pod: 'fwd', container: 'POD', sandbox: true, cmd: ['sh', '-c', script] });
    sandboxId = sb.id;
    const ip = await containerIP(docker, sb.id);
    for (let i = 0; i < 100; i++) {
      const open = await new Promise<boolean>((resolve) => {
        const s = net.connect(8080, ip, () => resolve(true)).on('error', () => resolve(false));
        s.on('connect', () => s.destroy());
      });
      if (open) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // The nc listeners accept one connection each, so probe them from inside (netstat), not by connecting.
    for (let i = 0; i < 100; i++) {
      const exec = await sb.exec({ Cmd: ['sh', '-c', 'for p in 9001 9002 9003; do netstat -ltn | grep -q ":$p " || exit 1; done'] });
      await (await exec.start({ Detach: false })).resume();
      let code: number | null = null;
      for (let j = 0; j < 40 && code === null; j++) {
        const info = await exec.inspect();
        code = info.Running ? null : info.ExitCode;
        if (code === null) await new Promise((r) => setTimeout(r, 25));
      }
      if (code === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    apiserver = await startPassthroughApiserver({ kubeletPort: server.port, kubeletToken: TOKEN, namespace: 'default', pod: 'fwd' });
  });

  afterAll(async () => {
    await apiserver?.close();
  });

  // The pod's nc half-closes as soon as it accepts (its stdin is /dev/null). kubectl 1.32+ resets
  // the data stream once the pod's side has ended, so these uploads only arrive whole because the
  // kubelet holds the pod's FIN back until the upload is over (port-forward-conn.ts).
  it.each<[string, string, number, number, Record<string, string>]>([
    ['1.33 (WebSocket tunnel)', '1.33', 9001, 200_000, {}],
    ['1.33 (raw SPDY upgrade, tunnelling off)', '1.33', 9003, 200_000, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
    ['1.29 (raw SPDY upgrade)', '1.29', 9002, 200_000, {}],
  ])('kubectl %s: download, upload and a refused port', async (_name, version, uploadPort, uploadBytes, env) => {
    const [web, up, closed] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(kubectlBinary(version), [
      `--server=${apiserver.url}`, '--token=any', 'port-forward', 'pod/fwd', `${web}:8080`, `${up}:${uploadPort}`, `${closed}:9999`,
    ], { env: { ...process.env, ...env } });
    let output = '';
    const waiters: Array<{ text: string; resolve: () => void }> = [];
    const onOutput = (c: Buffer): void => {
      output += c.toString();
      for (const w of waiters.splice(0)) (output.includes(w.text) ? w.resolve : () => waiters.push(w))();
    };
    const outputContains = (text: string): Promise<void> =>
      new Promise((resolve) => {
        waiters.push({ text, resolve });
        onOutput(Buffer.alloc(0));
      });
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    try {
      await outputContains(`Forwarding from 127.0.0.1:${closed} -> 9999`);
      expect(await fetchText(web, '/')).toBe('forwarded\n');
      expect((await fetchText(web, '/big.txt')).length).toBe(300_000);

      const payload = Buffer.alloc(uploadBytes, 'y');
      const want = String(uploadBytes);
      await new Promise<void>((resolve, reject) => {
        const s = net.connect(up, '127.0.0.1', () => s.end(payload));
        s.on('close', () => resolve());
        s.on('error', reject);
        s.resume();
      });
      let size = '';
      for (let i = 0; i < 100 && size !== want; i++) {
        const exec = await docker.getContainer(sandboxId).exec({ Cmd: ['sh', '-c', `wc -c < /tmp/up-${uploadPort}`], AttachStdout: true });
        const stream = await exec.start({ Detach: false });
        size = (await new Promise<string>((resolve) => {
          let out = '';
          stream.on('data', (c: Buffer) => (out += c.subarray(8).toString()));
          stream.on('end', () => resolve(out));
        })).trim();
        if (size !== want) await new Promise((r) => setTimeout(r, 50));
      }
      expect(size).toBe(want);

      const refused = await new Promise<string>((resolve, reject) => {
        const s = net.connect(closed, '127.0.0.1');
        let got = '';
        s.on('data', (c: Buffer) => (got += c.toString()));
        s.on('close', () => resolve(got));
        s.on('error', reject);
      });
      expect(refused).toBe('');
      await outputContains('error forwarding port 9999 to pod default/fwd');
    } finally {
      child.kill();
    }
  });
});

describe('close()', () => {
  it('ends open follow streams and exec sessions', async () => {
    const extra = await startKubeletServer({
      docker,
      nodeName: node,
      host: '127.0.0.1',
      port: 0,
      authenticate: async (t) => t === TOKEN,
      logger: silentLogger(),
    });
    const url = `http://127.0.0.1:${extra.port}`;
    let gotData!: () => void;
    const streaming = new Promise<void>((r) => (gotData = r));
    const logEnded = new Promise<void>((resolve) => {
      const req = http.get(`${url}/containerLogs/default/talker/main?follow=true`, { headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
        res.once('data', () => gotData());
        res.on('close', () => resolve());
      });
      req.on('error', () => resolve());
    });
    const session = openExec(`${url.replace('http', 'ws')}/exec/default/shell/sh?command=cat&stdin=true&stdout=true`, { token: TOKEN });
    session.sendStdin('ping\n');
    await session.waitForStdout('ping\n');
    await streaming;
    await extra.close();
    await logEnded;
    const r = await session.done;
    expect(r.closeCode).toBe(1006);
    expect(r.status).toBeUndefined();
  });
});
