/**
 * buildServer returns an unstarted Fastify app serving the Kubernetes API over the given etcd
 * client; main.ts only parses flags and listens. Tests use `app.inject` or listen on port 0.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Etcd3 } from 'etcd3';
import type { Logger, Node } from '@mk8s/shared';
import { ensureSystemNamespaces } from './bootstrap.js';
import { startCompaction } from './compaction.js';
import { Authenticator, installAuth, type TokenTable } from './http/auth.js';
import { BODY_LIMIT } from './http/body.js';
import { defKey, type ApiContext, type TableConverter } from './http/context.js';
import { KubeletProxyImpl } from './proxy/kubelet-proxy.js';
import { metricsApiRoutes } from './proxy/metrics-api.js';
import { installErrorHandlers } from './http/errors.js';
import { installMetrics } from './http/metrics.js';
import { handleResource } from './http/resource-handler.js';
import { tokenReviewRoutes } from './http/token-review.js';
import { selfSubjectReviewRoutes } from './http/self-subject-review.js';
import { accessReviewRoutes } from './http/access-review.js';
import { Authorizer, installAuthorization, type AuthorizationMode } from './authz/authorizer.js';
import { RbacAuthorizer } from './authz/rbac.js';
import { EscalationCheck } from './authz/escalation.js';
import { installImpersonation } from './authz/impersonation.js';
import { CachedRbacSource, ensureBootstrapPolicy, installEscalationCheck } from './authz/wiring.js';
import { installUpgradeHandler } from './http/upgrade.js';
import { Registry } from './registry/registry.js';
import type { ResourceDef, ResourceHooks, Strategy } from './registry/resource-def.js';
import { buildResourceTable } from './registry/resource-table.js';
import { guardEtcdWatchResponses } from './storage/etcd3-guard.js';
import { EtcdStore } from './storage/etcd-store.js';
import { admitFirst, serviceAccountWiring, type ServiceAccountOptions } from './serviceaccount/wiring.js';

export interface ServerOptions {
  etcd: Etcd3;
  logger: Logger;
  /** bearer tokens; required: every API request is authenticated */
  tokens: TokenTable;
  https?: { key: string | Buffer; cert: string | Buffer };
  etcdPrefix?: string;
  strategies?: Record<string, Strategy>;
  hooks?: Partial<Record<string, ResourceHooks>>;
  tables?: TableConverter;
  /** how to reach kubelets for pods/log and pods/exec */
  kubeletProxy?: { token?: string; allowLoopback?: boolean };
  /** extra routes (discovery, metrics API), registered before the generic ones */
  plugins?: ((app: FastifyInstance, resources: ResourceDef[]) => void)[];
  /** run once storage is reachable, before serving (e.g. the `kubernetes` service) */
  bootstrap?: ((registry: Registry, defs: Map<string, ResourceDef>) => Promise<void>)[];
  bookmarkIntervalMs?: number;
  watchTimeoutSeconds?: number;
  compactionIntervalMs?: number;
  /** service account tokens (TokenRequest, authentication) and the ServiceAccount admission; off when absent */
  serviceAccounts?: ServiceAccountOptions;
  /** --authorization-mode, in order (default AlwaysAllow) */
  authorizationModes?: AuthorizationMode[];
}

export interface ApiServer {
  app: FastifyInstance;
  registry: Registry;
  resources: ResourceDef[];
}

export function buildServer(o: ServerOptions): ApiServer {
  guardEtcdWatchResponses();
  const log = o.logger;
  const app = Fastify({
    loggerInstance: log.child({ subsystem: 'http' }),
    logController: new LogController({ disableRequestLogging: true }),
    // no per-request child logger: requests are not logged, and a child per request costs CPU
    childLoggerFactory: (logger: Logger) => logger,
    bodyLimit: BODY_LIMIT,
    https: o.https ? { key: o.https.key, cert: o.https.cert } : null,
    forceCloseConnections: true,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  const store = new EtcdStore(o.etcd, o.etcdPrefix ?? '/registry');
  const resources = buildResourceTable(o.strategies ?? {}, o.hooks ?? {});
  const nsDef = resources.find((r) => r.plural === 'namespaces')!;
  const registry = new Registry(store, o.etcd, log.child({ subsystem: 'registry' }), nsDef);
  const defs = new Map<string, ResourceDef>();
  for (const r of resources) defs.set(defKey(r.group, r.version, r.plural), r);

  installErrorHandlers(app, log);
  const metrics = installMetrics(app);
  const sa = o.serviceAccounts ? serviceAccountWiring(registry, defs, o.serviceAccounts) : undefined;
  if (sa) {
    const pods = defs.get(defKey('', 'v1', 'pods'))!;
    pods.hooks = admitFirst(pods.hooks, sa.podHooks);
  }
  const authn = new Authenticator(o.tokens, sa?.authenticator);
  installAuth(app, authn);
  const modes = o.authorizationModes ?? ['AlwaysAllow'];
  const rbacSource = new CachedRbacSource(registry, defs);
  const rbac = modes.includes('RBAC') ? new RbacAuthorizer(rbacSource) : undefined;
  const authorizer = new Authorizer(modes, rbac);
  installImpersonation(app, authorizer);
  installAuthorization(app, authorizer);
  if (rbac) installEscalationCheck(defs, new EscalationCheck(authorizer, rbac, rbacSource));

  // Every body arrives as a Buffer; handlers decode it by Content-Type (415/400 there).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

  let etcdReady = false;
  const probe = async () => {
    try {
      await store.currentRevision();
      etcdReady = true;
    } catch {
      etcdReady = false;
    }
  };
  const probeTimer = setInterval(() => void probe(), 2000);
  probeTimer.unref();
  const health = (checkEtcd: boolean) => async (_req: unknown, reply: import('fastify').FastifyReply) => {
    if (checkEtcd && !etcdReady) {
      await probe();
      if (!etcdReady) return reply.code(503).type('text/plain').send('[-]etcd failed: etcd is not reachable\nreadyz check failed\n');
    }
    return reply.type('text/plain').send('ok');
  };
  app.get('/healthz', health(false));
  app.get('/livez', health(false));
  app.get('/readyz', health(true));

  const defOf = (plural: string) => defs.get(defKey('', 'v1', plural))!;
  const ctx: ApiContext = {
    registry,
    etcd: o.etcd,
    log,
    defs,
    tables: o.tables,
    kubelets: new KubeletProxyImpl({
      token: o.kubeletProxy?.token,
      allowLoopback: o.kubeletProxy?.allowLoopback,
      logger: log,
      getNode: async (name) => (await registry.get(defOf('nodes'), undefined, name)) as Node,
    }),
    watch: {
      registry,
      etcd: o.etcd,
      bookmarkIntervalMs: o.bookmarkIntervalMs ?? 15_000,
      defaultTimeoutSeconds: o.watchTimeoutSeconds ?? 1800,
      maxBufferedBytes: 64 * 1024 * 1024,
      onOpen: () => metrics.watchers.inc(),
      onClose: () => metrics.watchers.dec(),
    },
  };
  if (sa) ctx.serviceAccountTokens = sa.createToken;
  tokenReviewRoutes(app, authn, o.serviceAccounts?.audiences ?? []);
  selfSubjectReviewRoutes(app);
  accessReviewRoutes(app, authorizer, rbac);
  for (const plugin of o.plugins ?? []) plugin(app, resources);
  metricsApiRoutes(app, {
    listNodes: async () => (await registry.list(defOf('nodes'), undefined, {})).items as Node[],
    listPods: async (ns) => (await registry.list(defOf('pods'), ns, {})).items,
    token: o.kubeletProxy?.token,
    allowLoopback: o.kubeletProxy?.allowLoopback,
    logger: log,
  });
  const handler = (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => handleResource(ctx, req, reply);
  for (const url of ['/api/*', '/apis/*']) {
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url, handler });
  }

  installUpgradeHandler(app.server as import('node:http').Server, ctx, authn, authorizer);

  let stopCompaction: (() => void) | undefined;
  app.addHook('onReady', async () => {
    await probe();
    await ensureSystemNamespaces(registry, nsDef, log);
    await ensureBootstrapPolicy(registry, defs, log);
    if (rbac) await rbacSource.start();
    for (const step of o.bootstrap ?? []) await step(registry, defs);
    // Warm the caches kubectl and the components hit first.
    const warm = ['namespaces', 'pods', 'nodes', ...(sa?.cachedResources ?? [])];
    await Promise.all(resources.filter((r) => r.group === '' && warm.includes(r.plural)).map((r) => registry.cache(r)));
    if (o.compactionIntervalMs) stopCompaction = startCompaction(store, o.compactionIntervalMs, (rev) => registry.compactedTo(rev), log);
  });
  app.addHook('onClose', async () => {
    clearInterval(probeTimer);
    stopCompaction?.();
    await registry.stop();
  });
  return { app, registry, resources };
}
