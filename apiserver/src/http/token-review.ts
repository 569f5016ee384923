/**
 * authentication.k8s.io/v1 TokenReview: lets a kubelet check a bearer token presented to it
 * (by the apiserver's log/exec proxy, a user or a pod's service account token) against the
 * apiserver's authenticators. `spec.audiences` (default: the API audiences) limits which
 * service account tokens pass; `status.audiences` says which of them the token is good for.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '@mk8s/shared';
import type { Authenticator, UserInfo } from './auth.js';
import { decodeObjectBody } from './body.js';

interface TokenReview {
  spec?: { token?: string; audiences?: string[] };
}

export function userInfoJson(user: UserInfo): Record<string, unknown> {
  return { username: user.name, uid: user.uid, groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) };
}

async function review(authn: Authenticator, token: string, audiences: string[] | undefined, apiAudiences: string[]): Promise<{ user: UserInfo; audiences?: string[] } | undefined> {
  const user = authn.tokens.get(token);
  if (user) {
    if (!apiAudiences.length) return { user };
    const wanted = audiences?.length ? audiences.filter((a) => apiAudiences.includes(a)) : apiAudiences;
    return wanted.length ? { user, audiences: wanted } : undefined;
  }
  if (!authn.serviceAccounts) return undefined;
  return authn.serviceAccounts.review(token, audiences?.length ? audiences : undefined).catch(() => undefined);
}

export function tokenReviewRoutes(app: FastifyInstance, authn: Authenticator, apiAudiences: string[] = []): void {
  app.post('/apis/authentication.k8s.io/v1/tokenreviews', async (req, reply) => {
    const body = decodeObjectBody(req.headers['content-type'], req.body) as TokenReview;
    const token = body?.spec?.token;
    if (typeof token !== 'string' || !token) throw new ApiError(422, 'Invalid', 'TokenReview.authentication.k8s.io "" is invalid: spec.token: Required value');
    const audiences = Array.isArray(body.spec?.audiences) ? body.spec.audiences.filter((a): a is string => typeof a === 'string') : undefined;
    const r = await review(authn, token, audiences, apiAudiences);
    return reply.code(201).send({
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: audiences?.length ? { token, audiences } : { token },
      status: r
        ? { authenticated: true, user: userInfoJson(r.user), ...(r.audiences ? { audiences: r.audiences } : {}) }
        : { authenticated: false, error: 'invalid bearer token' },
    });
  });
}
