/**
 * Bearer-token authentication from a static token file (Kubernetes' --token-auth-file
 * format: `token,user,uid,"group1,group2"` per line). Requests without a valid token get a
 * 401 Status, except the open health and version endpoints. Every authenticated user may do
 * everything: mk8s has no RBAC yet.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '@mk8s/shared';

export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
}

export type TokenTable = Map<string, UserInfo>;

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

/**
 * The user a bearer token belongs to: a map lookup by the token, as Kubernetes' token-file
 * authenticator does.
 */
export function authenticate(table: TokenTable, token: string): UserInfo | undefined {
  return table.get(token);
}

const isOpenPath = (path: string) =>
  OPEN_PATHS.has(path) || path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/');

export function installAuth(app: FastifyInstance, table: TokenTable): void {
  app.addHook('onRequest', (req, _reply, done) => {
    const q = req.url.indexOf('?');
    if (isOpenPath(q < 0 ? req.url : req.url.slice(0, q))) return done();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const user = m ? authenticate(table, m[1]!) : undefined;
    if (!user) return done(new ApiError(401, 'Unauthorized', 'Unauthorized'));
    req.user = user.name;
    done();
  });
}
