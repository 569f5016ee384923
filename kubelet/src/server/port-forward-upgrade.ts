/**
 * The upgrade for /portForward/:namespace/:pod[/:podUid]: after the bearer token (401) and the
 * pod's IP on this node (404 unknown pod, 400 no running sandbox), either a WebSocket upgrade
 * with subprotocol `SPDY/3.1+portforward.k8s.io` (kubectl 1.31+; SPDY bytes in binary messages)
 * or a plain `Upgrade: SPDY/3.1` with `X-Stream-Protocol-Version: portforward.k8s.io` (older
 * kubectl); then a SPDY port-forward session runs on the connection until either side closes.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, type WebSocketServer } from 'ws';
import { checkRequest } from './auth.js';
import { findPodIP } from './containers.js';
import { PORT_FORWARD_PROTOCOL, PORT_FORWARD_WS_PROTOCOL, servePortForward } from './port-forward.js';
import { apiStatus } from './status.js';
import { rejectUpgrade } from './reject.js';
import type { ServerDeps } from './deps.js';

export const PORT_FORWARD_PATH = /^\/portForward\/([^/]+)\/([^/]+)(?:\/([^/]+))?\/?$/;

export const headerList = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v.join(',') : (v ?? '')).split(',').map((s) => s.trim()).filter(Boolean);

export async function handlePortForwardUpgrade(
  deps: ServerDeps,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  match: RegExpExecArray,
): Promise<void> {
  const [namespace, pod, podUid] = [match[1]!, match[2]!, match[3]].map((s) => s && decodeURIComponent(s));
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  const viaWebSocket = upgrade === 'websocket';
  if (!viaWebSocket && upgrade !== 'spdy/3.1') {
    return rejectUpgrade(socket, apiStatus(400, 'BadRequest', `unsupported upgrade "${req.headers.upgrade ?? ''}"`));
  }
  const check = await checkRequest(req.headers.authorization, req.method ?? 'GET', req.url ?? '/', deps);
  if (!check.ok) return rejectUpgrade(socket, apiStatus(check.code, check.reason, check.message));
  const offered = viaWebSocket ? headerList(req.headers['sec-websocket-protocol']) : headerList(req.headers['x-stream-protocol-version']);
  const wanted = viaWebSocket ? PORT_FORWARD_WS_PROTOCOL : PORT_FORWARD_PROTOCOL;
  if (!offered.includes(wanted)) {
    return rejectUpgrade(socket, apiStatus(400, 'BadRequest', `unsupported port-forward protocol: want ${wanted}`));
  }
  const found = await findPodIP(deps.docker, deps.nodeName, namespace!, pod!, podUid);
  if (!found.podExists) return rejectUpgrade(socket, apiStatus(404, 'NotFound', `pod "${namespace}/${pod}" does not exist`));
  if (!found.ip) return rejectUpgrade(socket, apiStatus(400, 'BadRequest', `pod "${namespace}/${pod}" has no running sandbox`));
  const podIP = found.ip;
  if (socket.destroyed) return;
  const logger = deps.logger.child({ namespace, pod, podIP, portForward: true });
  if (viaWebSocket) {
    wss.handleUpgrade(req, socket, head, (ws) => {
      servePortForward({ transport: createWebSocketStream(ws), podIP, podName: `${namespace}/${pod}`, logger });
    });
    return;
  }
  socket.write(
    ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}`, '', ''].join('\r\n'),
  );
  if (head.length > 0) socket.unshift(head);
  servePortForward({ transport: socket, podIP, podName: `${namespace}/${pod}`, logger });
}
