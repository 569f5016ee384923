/**
 * Authentication and authorization for the kubelet server, as Kubernetes' kubelet does them
 * with --authentication-token-webhook and --authorization-mode=Webhook. Every endpoint but
 * /healthz needs `Authorization: Bearer <token>` accepted by the injected `authenticate` (a
 * TokenReview in production; a failing or throwing authenticator means 401). When an
 * `authorize` is given (a SubjectAccessReview in production), the user must also be allowed
 * the request on this node object: the verb follows the HTTP method, the resource is `nodes`,
 * the subresource `stats`, `metrics`, `log` or `spec` for those paths and `proxy` for the rest
 * (logs, exec, attach, port-forward). Refused means 403.
 */
import type { Logger } from '@mk8s/shared';

export interface KubeletUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** The user a token belongs to; `true` when the authenticator knows it is valid but not whose it is. */
export type Authenticate = (token: string) => Promise<boolean | KubeletUser>;

export interface KubeletAttributes {
  verb: string;
  resource: 'nodes';
  subresource: string;
  name: string;
}

export type Authorize = (user: KubeletUser, attrs: KubeletAttributes) => Promise<boolean>;

/** The token of a `Bearer` Authorization header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return m?.[1];
}

/** The authenticated user (or `true`), or undefined when the request is not authenticated. */
export async function authenticatedUser(
  header: string | string[] | undefined,
  authenticate: Authenticate,
  logger: Logger,
): Promise<KubeletUser | true | undefined> {
  const token = bearerToken(header);
  if (!token) return undefined;
  try {
    const who = await authenticate(token);
    return who === false ? undefined : who;
  } catch (err) {
    logger.warn({ err }, 'authentication failed');
    return undefined;
  }
}

const VERBS: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
const SUBRESOURCE_PATHS: [string, string][] = [
  ['/stats', 'stats'],
  ['/metrics', 'metrics'],
  ['/logs', 'log'],
  ['/spec', 'spec'],
];

/** Kubernetes' kubelet request attributes for `method path` on node `nodeName`. */
export function kubeletRequestAttributes(method: string, path: string, nodeName: string): KubeletAttributes {
  const p = path.split('?')[0]!;
  const sub = SUBRESOURCE_PATHS.find(([prefix]) => p === prefix || p.startsWith(`${prefix}/`))?.[1] ?? 'proxy';
  return { verb: VERBS[method.toUpperCase()] ?? method.toLowerCase(), resource: 'nodes', subresource: sub, name: nodeName };
}

export type RequestCheck = { ok: true } | { ok: false; code: 401 | 403; reason: 'Unauthorized' | 'Forbidden'; message: string };

export interface AuthDeps {
  authenticate: Authenticate;
  authorize?: Authorize;
  nodeName: string;
  logger: Logger;
}

/** Whether the request may proceed: authenticated, then (when configured) authorized. */
export async function checkRequest(header: string | string[] | undefined, method: string, path: string, deps: AuthDeps): Promise<RequestCheck> {
  const who = await authenticatedUser(header, deps.authenticate, deps.logger);
  if (who === undefined) return { ok: false, code: 401, reason: 'Unauthorized', message: 'Unauthorized' };
  if (!deps.authorize) return { ok: true };
  const attrs = kubeletRequestAttributes(method, path, deps.nodeName);
  const user: KubeletUser = who === true ? { username: '' } : who;
  let allowed = false;
  try {
    allowed = user.username !== '' && (await deps.authorize(user, attrs));
  } catch (err) {
    deps.logger.warn({ err }, 'authorization failed');
  }
  if (allowed) return { ok: true };
  return {
    ok: false,
    code: 403,
    reason: 'Forbidden',
    message: `Forbidden (user=${user.username}, verb=${attrs.verb}, resource=${attrs.resource}, subresource=${attrs.subresource})`,
  };
}
