/**
 * User impersonation (`kubectl --as USER --as-group GROUP`, `kubectl auth can-i --as`), as
 * Kubernetes' impersonation filter: the Impersonate-User, Impersonate-Group, Impersonate-Uid
 * and Impersonate-Extra-<key> headers make the request act as another user, provided the
 * authenticated user may `impersonate` each of them (users, groups, uids, userextras/<key>;
 * a `system:serviceaccount:<ns>:<name>` user is the serviceaccounts object <ns>/<name>). The
 * impersonated user is in system:authenticated (unless system:unauthenticated is asked for),
 * and a service account without --as-group gets its service account groups.
 */
import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '@mk8s/shared';
import { AUTHENTICATED_GROUP, type UserInfo } from '../http/auth.js';
import { attributesOf } from './attributes.js';
import { refusal, type Authorizer } from './authorizer.js';
import { SERVICE_ACCOUNT_USER_PREFIX } from './rbac.js';

const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
const EXTRA_PREFIX = 'impersonate-extra-';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Whether the request asks to impersonate anyone. */
export function wantsImpersonation(headers: IncomingHttpHeaders): boolean {
  for (const h of Object.keys(headers)) if (h.startsWith('impersonate-')) return true;
  return false;
}

/**
 * The user `user` acts as, given the request's Impersonate-* headers; `user` itself when there
 * are none. Throws 400 for groups or extras without a user, 403 when `authorizer` refuses.
 */
export function impersonate(user: UserInfo, headers: IncomingHttpHeaders, authorizer: Authorizer): UserInfo {
  if (!wantsImpersonation(headers)) return user;
  const name = list(headers['impersonate-user'])[0];
  const groups = list(headers['impersonate-group']);
  const uid = list(headers['impersonate-uid'])[0];
  const extra: Record<string, string[]> = {};
  for (const [h, v] of Object.entries(headers)) {
    if (h.startsWith(EXTRA_PREFIX)) extra[decodeURIComponent(h.slice(EXTRA_PREFIX.length))] = list(v);
  }
  if (!name) throw new ApiError(400, 'BadRequest', 'requested impersonation without impersonating a user (Impersonate-User)');

  const check = (resource: string, objectName: string, namespace = '', subresource = '') => {
    // users, groups and service accounts are core-group kinds; uids and user extras belong to authentication.k8s.io
    const apiGroup = resource === 'uids' || resource === 'userextras' ? 'authentication.k8s.io' : '';
    const refused = refusal(authorizer, attributesOf(user, { verb: 'impersonate', apiGroup, apiVersion: 'v1', namespace, resource, subresource, name: objectName }));
    if (refused) throw refused;
  };

  let actingGroups = [...groups];
  if (name.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) {
    const [ns, saName] = name.slice(SERVICE_ACCOUNT_USER_PREFIX.length).split(':');
    if (!ns || !saName) throw new ApiError(400, 'BadRequest', `invalid service account user name "${name}"`);
    check('serviceaccounts', saName, ns);
    if (!groups.length) actingGroups = ['system:serviceaccounts', `system:serviceaccounts:${ns}`];
  } else {
    check('users', name);
  }
  for (const g of groups) check('groups', g);
  if (uid) check('uids', uid);
  for (const [key, values] of Object.entries(extra)) for (const v of values) check('userextras', v, '', key);

  if (!actingGroups.includes(AUTHENTICATED_GROUP) && !actingGroups.includes(UNAUTHENTICATED_GROUP)) actingGroups.push(AUTHENTICATED_GROUP);
  const acting: UserInfo = { name, uid: uid ?? '', groups: actingGroups };
  if (Object.keys(extra).length) acting.extra = extra;
  return acting;
}

/** Replaces the authenticated user with the impersonated one; runs between authentication and authorization. */
export function installImpersonation(app: FastifyInstance, authorizer: Authorizer): void {
  app.addHook('onRequest', (req, _reply, done) => {
    if (!req.userInfo || !wantsImpersonation(req.headers)) return done();
    try {
      const acting = impersonate(req.userInfo, req.headers, authorizer);
      req.userInfo = acting;
      req.user = acting.name;
      done();
    } catch (err) {
      done(err as Error);
    }
  });
}
