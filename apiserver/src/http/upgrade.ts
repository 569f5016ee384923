/**
 * Upgrades (kubectl exec/attach over WebSocket, port-forward over SPDY or WebSocket) arrive
 * on the HTTP server's `upgrade` event, outside fastify's routing: authenticate, authorize, resolve the
 * pod, and hand the socket to the kubelet proxy. Anything else gets a Status answer and a
 * closed connection.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, type Pod } from '@mk8s/shared';
import { writeStatus } from '../proxy/kubelet-proxy.js';
import { bearerToken, type Authenticator } from './auth.js';
import { requestAttributes } from '../authz/attributes.js';
import { refusal, type Authorizer } from '../authz/authorizer.js';
import { impersonate } from '../authz/impersonation.js';
import type { ApiContext } from './context.js';
import { toApiError } from './errors.js';
import { parseRequestPath } from './request-info.js';
import { resolve } from './resource-handler.js';

function queryOf(url: URL): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    q[key] = all.length > 1 ? all : all[0]!;
  }
  return q;
}

export function installUpgradeHandler(server: Server, ctx: ApiContext, authn: Authenticator, authorizer: Authorizer): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      const token = bearerToken(req.headers.authorization);
      const authenticated = token ? await authn.authenticate(token) : undefined;
      if (!authenticated) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      const user = impersonate(authenticated, req.headers, authorizer);
      const refused = refusal(authorizer, requestAttributes(user, req.method ?? 'GET', req.url ?? '/'));
      if (refused) throw refused;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const info = parseRequestPath(url.pathname);
      const kind = info?.subresource;
      if (!info || info.resource !== 'pods' || !info.name || (kind !== 'exec' && kind !== 'attach' && kind !== 'portforward')) {
        throw new ApiError(400, 'BadRequest', 'only pods/exec, pods/attach and pods/portforward can be upgraded');
      }
      const protocol = String(req.headers.upgrade ?? '').toLowerCase();
      if (protocol !== 'websocket' && protocol !== 'spdy/3.1') {
        throw new ApiError(400, 'BadRequest', `unsupported upgrade protocol ${String(req.headers.upgrade ?? '')}: use WebSocket (v5.channel.k8s.io)`);
      }
      if (!ctx.kubelets) throw new ApiError(503, 'ServiceUnavailable', 'no kubelet proxy configured');
      const def = resolve(ctx, info);
      const pod = (await ctx.registry.get(def, info.namespace, info.name)) as Pod;
      await ctx.kubelets.upgradeStream(kind, req, socket, head, pod, queryOf(url));
    })().catch((err: unknown) => writeStatus(socket, toApiError(err)));
  });
}
