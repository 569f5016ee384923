/**
 * The kubelet's authenticated HTTP server, for the apiserver's pods/log and pods/exec proxies:
 *   GET /containerLogs/:namespace/:pod/:container   (see logs.ts)
 *   GET /exec/:namespace/:pod/[:podUid/]:container    remotecommand: WebSocket v5/v4, or SPDY/3.1 with
 *                                                     v4 streams (upgrade.ts, stream-session.ts)
 *   GET /attach/:namespace/:pod/[:podUid/]:container  the same, joining the container's process
 *   /portForward/:namespace/:pod[/:podUid]            SPDY/3.1 port forwarding, raw or in a WebSocket
 *   GET /stats/summary                              the Summary API (node and pod CPU/memory), when `summary` is given
 *   GET /healthz                                    open, "ok"
 * Every other request needs `Authorization: Bearer <token>` accepted by `authenticate`, else
 * 401 with a Status body, and, with `authorize`, the user's access to this node (auth.ts), else
 * 403 (a refused upgrade is answered and closed). Only containers labelled
 * with `nodeName` are visible. `close()` ends open log streams and exec sessions.
 */
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';
import { WebSocketServer } from 'ws';
import type { Logger } from '@mk8s/shared';
import { checkRequest, type Authenticate, type Authorize } from './auth.js';
import { streamUpgradeHandler } from './upgrade.js';
import { registerLogRoutes } from './logs.js';
import { selectProtocol } from './remotecommand.js';
import { PORT_FORWARD_WS_PROTOCOL } from './port-forward.js';
import { apiStatus } from './status.js';
import type { ServerDeps } from './deps.js';

export interface KubeletServerOptions {
  docker: Docker;
  nodeName: string;
  host: string;
  /** 0 = a free port */
  port: number;
  authenticate: Authenticate;
  /** a SubjectAccessReview per user and request kind (absent: authenticated is enough) */
  authorize?: Authorize;
  logger: Logger;
  /** the latest Summary API figures (kubelet/src/stats/summary.ts) */
  summary?: () => unknown;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

export type { Authenticate, Authorize } from './auth.js';

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const logger = opts.logger.child({ server: 'kubelet' });
  const deps: ServerDeps = { docker: opts.docker, nodeName: opts.nodeName, authenticate: opts.authenticate, authorize: opts.authorize, logger };
  const app = Fastify({ forceCloseConnections: true });

  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/healthz' || req.url.startsWith('/healthz?')) return;
    const check = await checkRequest(req.headers.authorization, req.method, req.url, deps);
    if (check.ok) return;
    await reply.code(check.code).send(apiStatus(check.code, check.reason, check.message));
    return reply;
  });
  app.setErrorHandler(async (err: unknown, _req, reply) => {
    logger.warn({ err }, 'request failed');
    const e = err as { statusCode?: unknown; message?: unknown };
    const code = typeof e.statusCode === 'number' && e.statusCode >= 400 ? e.statusCode : 500;
    const message = typeof e.message === 'string' ? e.message : String(err);
    return reply.code(code).send(apiStatus(code, code === 500 ? 'InternalError' : 'BadRequest', message));
  });
  app.setNotFoundHandler(async (req, reply) =>
    reply.code(404).send(apiStatus(404, 'NotFound', `the server could not find the requested resource: ${req.url.split('?')[0]}`)),
  );

  app.get('/healthz', async (_req, reply) => reply.type('text/plain').send('ok'));
  registerLogRoutes(app, deps);
  const summary = opts.summary;
  if (summary) app.get('/stats/summary', async () => summary());
  for (const verb of ['exec', 'attach', 'portForward']) {
    app.get(`/${verb}/*`, async (_req, reply) =>
      reply.code(400).send(apiStatus(400, 'BadRequest', 'Upgrade request required')),
    );
  }

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => selectProtocol([...protocols]) ?? false,
  });
  const portForwardWss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(PORT_FORWARD_WS_PROTOCOL) ? PORT_FORWARD_WS_PROTOCOL : false),
  });
  app.server.on('upgrade', streamUpgradeHandler(deps, wss, portForwardWss));

  await app.listen({ host: opts.host, port: opts.port });
  const port = (app.server.address() as AddressInfo).port;
  logger.info({ host: opts.host, port }, 'kubelet server listening');

  return {
    port,
    async close() {
      for (const server of [wss, portForwardWss]) {
        for (const client of server.clients) client.terminate();
        server.close();
      }
      await app.close();
    },
  };
}
