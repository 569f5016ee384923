/**
 * Bearer-token authentication. Two authenticators, in order: the static token file
 * (Kubernetes' --token-auth-file format: `token,user,uid,"group1,group2"` per line; a map
 * lookup, so the common path stays synchronous) and, when configured, service account
 * JWTs (serviceaccount/authenticator.ts; asynchronous, as it reads the watch caches).
 * Requests without a valid token get a 401 Status, except the open health and version
 * endpoints. What an authenticated user may do is authorization's business (authz/).
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '@mk8s/shared';

export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export type TokenTable = Map<string, UserInfo>;

/** An audience-aware token authenticator (service account tokens). */
export interface AudienceAuthenticator {
  /** the user and the requested audiences the token is good for; undefined when invalid */
  review(token: string, audiences?: string[]): Promise<{ user: UserInfo; audiences: string[] } | undefined>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the authenticated user (name, uid, groups, extra) */
    userInfo?: UserInfo;
  }
}

const OPEN_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

export function parseTokenFile(text: string): TokenTable {
  const table: TokenTable = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.match(/("[^"]*"|[^,]+)/g)?.map((f) => f.replace(/^"|"$/g, '')) ?? [];
    const [token, name, uid, groups] = fields;
    if (!token || !name) throw new Error(`token file line is not token,user,uid[,groups]: ${line.slice(0, 20)}...`);
    table.set(token, { name, uid: uid ?? name, groups: groups ? groups.split(',').map((g) => g.trim()) : [] });
  }
  return table;
}

export function loadTokenFile(path: string): TokenTable {
  return parseTokenFile(readFileSync(path, 'utf8'));
}

/** Every authenticated user is in this group, whichever authenticator vouched for them. */
export const AUTHENTICATED_GROUP = 'system:authenticated';

const withAuthenticatedGroup = (u: UserInfo): UserInfo => (u.groups.includes(AUTHENTICATED_GROUP) ? u : { ...u, groups: [...u.groups, AUTHENTICATED_GROUP] });

/** The authenticator chain: static tokens first, then service account tokens. */
export class Authenticator {
  readonly tokens: TokenTable;

  constructor(
    tokens: TokenTable,
    readonly serviceAccounts?: AudienceAuthenticator,
  ) {
    // Kubernetes adds system:authenticated around its authenticators; the static users get it once, here.
    this.tokens = new Map([...tokens].map(([t, u]) => [t, withAuthenticatedGroup(u)]));
  }

  /**
   * Static tokens by a map lookup, as Kubernetes' token-file authenticator does (synchronous, as
   * are tokens no authenticator could accept); then service account JWTs.
   */
  authenticate(token: string): UserInfo | undefined | Promise<UserInfo | undefined> {
    const user = this.tokens.get(token);
    if (user || !this.serviceAccounts || token.split('.').length !== 3) return user;
    return this.serviceAccounts.review(token).then(
      (r) => r?.user,
      () => undefined,
    );
  }
}

const isOpenPath = (path: string) =>
  OPEN_PATHS.has(path) || path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/');

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? m[1] : undefined;
}

export function installAuth(app: FastifyInstance, auth: Authenticator | TokenTable): void {
  const authn = auth instanceof Authenticator ? auth : new Authenticator(auth);
  app.addHook('onRequest', (req, _reply, done) => {
    const q = req.url.indexOf('?');
    if (isOpenPath(q < 0 ? req.url : req.url.slice(0, q))) return done();
    const token = bearerToken(req.headers.authorization);
    const finish = (user: UserInfo | undefined) => {
      if (!user) return done(new ApiError(401, 'Unauthorized', 'Unauthorized'));
      req.user = user.name;
      req.userInfo = user;
      done();
    };
    const result = token ? authn.authenticate(token) : undefined;
    if (result instanceof Promise) void result.then(finish);
    else finish(result);
  });
}
