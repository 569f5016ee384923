/**
 * Proxies pods/log and pods/exec to the kubelet running the pod. Logs are a streamed GET.
 * Exec is a WebSocket upgrade handled on the server's `upgrade` event: the client's upgrade
 * request is re-issued to the kubelet with the apiserver's own token, and only when the
 * kubelet answers 101 are the two sockets joined; any other answer is passed back and both
 * connections are closed, so no later client bytes reach the kubelet.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type Logger, type Node, type Pod } from '@mk8s/shared';
import type { KubeletProxy } from '../http/context.js';
import { containerFor, kubeletAddress, requireNode } from './node-address.js';

/** How long a client may take to read what the kubelet sent before its stream closed. */
const CLIENT_DRAIN_MS = 10_000;

export interface KubeletProxyOptions {
  /** bearer token the apiserver presents to kubelets */
  token?: string;
  getNode(name: string): Promise<Node>;
  allowLoopback?: boolean;
  logger: Logger;
}

const LOG_PARAMS = ['follow', 'tailLines', 'timestamps', 'previous', 'sinceSeconds', 'sinceTime', 'limitBytes'];
const EXEC_PARAMS = ['command', 'stdin', 'stdout', 'stderr', 'tty'];

/** The streaming subresources and the kubelet paths that serve them. */
export type StreamKind = 'exec' | 'attach' | 'portforward';
const STREAM_PATHS: Record<StreamKind, string> = { exec: 'exec', attach: 'attach', portforward: 'portForward' };
/** Headers an upgrade carries to the kubelet (WebSocket handshake, SPDY stream protocol). */
const UPGRADE_HEADERS = ['sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions', 'x-stream-protocol-version'];

function forward(q: Record<string, string | string[] | undefined>, names: string[]): string {
  const sp = new URLSearchParams();
  for (const n of names) {
    const v = q[n];
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) sp.append(n, item);
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export class KubeletProxyImpl implements KubeletProxy {
  constructor(private readonly o: KubeletProxyOptions) {}

  private async target(pod: Pod, kind: string, container: string | undefined, query: string) {
    const node = await this.o.getNode(requireNode(pod));
    const addr = kubeletAddress(node, this.o.allowLoopback);
    const c = container === undefined ? '' : `/${encodeURIComponent(container)}`;
    const path = `/${kind}/${encodeURIComponent(pod.metadata.namespace ?? '')}/${encodeURIComponent(pod.metadata.name ?? '')}${c}${query}`;
    return { ...addr, path };
  }

  async proxyLog(req: FastifyRequest, reply: FastifyReply, pod: Pod, q: Record<string, string | string[] | undefined>): Promise<unknown> {
    const container = containerFor(pod, typeof q.container === 'string' ? q.container : undefined);
    const t = await this.target(pod, 'containerLogs', container, forward(q, LOG_PARAMS));
    const upstream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const r = http.get({ host: t.host, port: t.port, path: t.path, headers: this.authHeaders() }, resolve);
      r.on('error', (err) => reject(new ApiError(503, 'ServiceUnavailable', `error talking to the kubelet: ${err.message}`)));
      req.raw.on('close', () => r.destroy());
    });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(upstream.statusCode ?? 502, {
      'Content-Type': upstream.headers['content-type'] ?? 'text/plain',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    upstream.pipe(res);
    res.on('close', () => upstream.destroy());
    return reply;
  }

  /** Exec arrives as an upgrade (see handleUpgrade); a plain request cannot be served. */
  async proxyExec(): Promise<unknown> {
    throw new ApiError(400, 'BadRequest', 'Upgrade request required');
  }

  private authHeaders(): Record<string, string> {
    return this.o.token ? { Authorization: `Bearer ${this.o.token}` } : {};
  }

  /** Joins a client's exec/attach/portforward upgrade to the kubelet's. `pod` has been read. */
  async upgradeStream(
    kind: StreamKind,
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pod: Pod,
    q: Record<string, string | string[] | undefined>,
  ): Promise<void> {
    const container = kind === 'portforward' ? undefined : containerFor(pod, typeof q.container === 'string' ? q.container : undefined);
    const t = await this.target(pod, STREAM_PATHS[kind], container, kind === 'portforward' ? forward(q, ['ports']) : forward(q, EXEC_PARAMS));
    const headers: Record<string, string> = { ...this.authHeaders(), Connection: 'Upgrade', Upgrade: String(req.headers.upgrade ?? 'websocket') };
    for (const h of UPGRADE_HEADERS) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
      else if (Array.isArray(v)) headers[h] = v.join(', ');
    }
    await new Promise<void>((resolve) => {
      const up = http.request({ host: t.host, port: t.port, path: t.path, method: req.method === 'POST' ? 'POST' : 'GET', headers });
      socket.on('error', () => up.destroy());
      up.on('upgrade', (res, upSocket, upHead) => {
        const lines = [`HTTP/1.1 101 Switching Protocols`];
        for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        socket.write(lines.join('\r\n') + '\r\n\r\n');
        if (upHead.length) socket.write(upHead);
        if (head.length) upSocket.write(head);
        upSocket.pipe(socket);
        socket.pipe(upSocket);
        const abort = () => {
          upSocket.destroy();
          socket.destroy();
        };
        upSocket.on('error', abort);
        socket.on('close', () => upSocket.destroy());
        // The kubelet is done (an exec's exit status is among its last bytes): end the client's
        // side after what is queued for it has been written, rather than dropping it.
        upSocket.on('close', () => {
          if (socket.destroyed) return;
          socket.end();
          setTimeout(() => socket.destroy(), CLIENT_DRAIN_MS).unref();
        });
        resolve();
      });
      up.on('response', (res) => {
        // The kubelet refused the upgrade: pass its answer back and close both sides.
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          socket.write(
            `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\nContent-Type: ${res.headers['content-type'] ?? 'application/json'}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
          );
          socket.end(body, () => socket.destroy());
          up.destroy();
          resolve();
        });
      });
      up.on('error', (err) => {
        writeStatus(socket, new ApiError(503, 'ServiceUnavailable', `error dialing the kubelet: ${err.message}`));
        resolve();
      });
      up.end();
    });
  }
}

/** Answers an upgrade request with a Status and closes the connection. */
export function writeStatus(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${http.STATUS_CODES[err.code] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
