/**
 * The HTTP `upgrade` handler for /exec|attach/:namespace/:pod/[:podUid/]:container (port
 * forwarding is handed to port-forward-upgrade.ts). Everything that
 * can be checked before switching protocols is: the path (404), a WebSocket upgrade (400),
 * the bearer token (401), a supported remotecommand subprotocol and the exec query (400), the
 * pod and container on this node (404). Any of these answers with an HTTP Status and closes the
 * connection; otherwise the socket is upgraded (WebSocket with the chosen subprotocol, or
 * SPDY/3.1 with v4.channel.k8s.io streams for older kubectl) and the session runs.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { checkRequest } from './auth.js';
import { findPodContainers } from './containers.js';
import { runAttachSession, runExecSession, type SessionOptions } from './exec-session.js';
import { searchParamsToQuery } from './query.js';
import {
  parseExecRequest,
  parseStreamRequest,
  selectProtocol,
  type ExecRequest,
  type StreamRequest,
} from './remotecommand.js';
import { apiStatus } from './status.js';
import { rejectUpgrade } from './reject.js';
import { websocketChannels, type ClientChannels } from './client-channels.js';
import { serveSpdyRemoteCommand, SPDY_REMOTECOMMAND_PROTOCOL } from './spdy-exec.js';
import { headerList } from './port-forward-upgrade.js';
import { handlePortForwardUpgrade, PORT_FORWARD_PATH } from './port-forward-upgrade.js';
import type { ServerDeps } from './deps.js';

const STREAM_PATH = /^\/(exec|attach)\/([^/]+)\/([^/]+)\/(?:([^/]+)\/)?([^/]+)\/?$/;

/** A parsed request: its stream flags and how to run its session. */
interface Runner {
  flags: StreamRequest;
  run: (session: SessionOptions) => Promise<void>;
}

const execRunner = (r: ExecRequest | string): Runner | string =>
  typeof r === 'string' ? r : { flags: r, run: (session) => runExecSession({ ...session, request: r }) };
const attachRunner = (r: StreamRequest | string): Runner | string =>
  typeof r === 'string' ? r : { flags: r, run: (session) => runAttachSession({ ...session, request: r }) };

export function streamUpgradeHandler(deps: ServerDeps, wss: WebSocketServer, portForwardWss: WebSocketServer) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (err) => deps.logger.debug({ err }, 'upgrade socket error'));
    handle(req, socket, head).catch((err: unknown) => {
      deps.logger.warn({ err }, 'upgrade failed');
      rejectUpgrade(socket, apiStatus(500, 'InternalError', err instanceof Error ? err.message : String(err)));
    });
  };

  async function handle(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const pf = PORT_FORWARD_PATH.exec(url.pathname);
    if (pf) return handlePortForwardUpgrade(deps, portForwardWss, req, socket, head, pf);
    const m = STREAM_PATH.exec(url.pathname);
    if (!m) return rejectUpgrade(socket, apiStatus(404, 'NotFound', `no upgrade handler for ${url.pathname}`));
    const verb = m[1] as 'exec' | 'attach';
    const [namespace, pod, podUid, container] = [m[2]!, m[3]!, m[4], m[5]!].map((s) => s && decodeURIComponent(s));
    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    if (upgrade !== 'websocket' && upgrade !== 'spdy/3.1') {
      return rejectUpgrade(socket, apiStatus(400, 'BadRequest', `unsupported upgrade "${req.headers.upgrade ?? ''}"`));
    }
    const check = await checkRequest(req.headers.authorization, req.method ?? 'GET', req.url ?? '/', deps);
    if (!check.ok) return rejectUpgrade(socket, apiStatus(check.code, check.reason, check.message));
    const protocol = upgrade === 'websocket' ? selectProtocol(req.headers['sec-websocket-protocol']) : undefined;
    if (upgrade === 'websocket' && !protocol) {
      return rejectUpgrade(socket, apiStatus(400, 'BadRequest', 'no supported subprotocol: want v5.channel.k8s.io or v4.channel.k8s.io'));
    }
    if (upgrade === 'spdy/3.1' && !headerList(req.headers['x-stream-protocol-version']).includes(SPDY_REMOTECOMMAND_PROTOCOL)) {
      return rejectUpgrade(socket, apiStatus(400, 'BadRequest', `unsupported stream protocol: want ${SPDY_REMOTECOMMAND_PROTOCOL}`));
    }
    const query = searchParamsToQuery(url.searchParams);
    const parsed = verb === 'exec' ? execRunner(parseExecRequest(query)) : attachRunner(parseStreamRequest(query));
    if (typeof parsed === 'string') return rejectUpgrade(socket, apiStatus(400, 'BadRequest', parsed));
    const { flags, run } = parsed;
    const found = await findPodContainers(deps.docker, deps.nodeName, namespace!, pod!, container!, podUid);
    if (!found.podExists) {
      return rejectUpgrade(socket, apiStatus(404, 'NotFound', `pod "${namespace}/${pod}" does not exist`));
    }
    const target = found.containers[0];
    if (!target) {
      return rejectUpgrade(socket, apiStatus(404, 'NotFound', `container "${container}" in pod "${pod}" is not available`));
    }
    if (socket.destroyed) return;
    const logger = deps.logger.child({ verb, namespace, pod, container, containerId: target.id });
    const start = (channels: ClientChannels): void => {
      logger.debug({ query: url.search, upgrade }, 'stream session started');
      void run({ channels, docker: deps.docker, containerId: target.id, logger });
    };
    if (protocol) {
      wss.handleUpgrade(req, socket, head, (ws) => start(websocketChannels(ws, protocol, logger)));
      return;
    }
    socket.write(
      ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${SPDY_REMOTECOMMAND_PROTOCOL}`, '', ''].join('\r\n'),
    );
    if (head.length > 0) socket.unshift(head);
    serveSpdyRemoteCommand({ transport: socket, flags, logger, start });
  }
}
