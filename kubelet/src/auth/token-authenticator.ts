/**
 * Authenticates bearer tokens presented to the kubelet server (logs/exec) by asking the
 * apiserver: a TokenReview when the apiserver serves them (which names the user), else a
 * `GET /api` made with the presented token (2xx = a known identity, 401 = not). Results are
 * cached briefly (positive 2 min, negative 10 s) so a log stream does not cost an API call per
 * request. `subjectAccessReviewer` authorizes the user the same way, with SubjectAccessReviews.
 */
import { RestClient, type ClientConfig, type Logger } from '@mk8s/shared';
import type { KubeletAttributes, KubeletUser } from '../server/auth.js';

/** Answers kept for a while: the token and authorization decisions of a log stream or exec session cost one API call, not one per request. */
class AnswerCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    return hit && hit.until > Date.now() ? hit.value : undefined;
  }

  set(key: string, value: T, ttlMs: number): void {
    if (this.entries.size > 1000) this.entries.clear();
    this.entries.set(key, { value, until: Date.now() + ttlMs });
  }
}

export function tokenAuthenticator(cfg: ClientConfig, logger: Logger): (token: string) => Promise<boolean | KubeletUser> {
  const cache = new AnswerCache<boolean | KubeletUser>();
  const admin = new RestClient(cfg);
  let tokenReviews: boolean | undefined;

  const viaTokenReview = async (token: string): Promise<boolean | KubeletUser | undefined> => {
    if (tokenReviews === false) return undefined;
    try {
      const res = await admin.request<{ status?: { authenticated?: boolean; user?: KubeletUser } }>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
        timeoutMs: 10_000,
      });
      tokenReviews = true;
      if (res.status?.authenticated !== true) return false;
      return res.status.user?.username ? res.status.user : true;
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 404 || code === 405) {
        tokenReviews = false;
        return undefined;
      }
      throw err;
    }
  };

  const viaRequest = async (token: string): Promise<boolean> => {
    const c = new RestClient({ ...cfg, token });
    try {
      await c.request('GET', '/api', { timeoutMs: 10_000 });
      return true;
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 401) return false;
      if (code === 403) return true; // authenticated, just not authorized for /api
      throw err;
    } finally {
      c.close();
    }
  };

  return async (token: string): Promise<boolean | KubeletUser> => {
    const hit = cache.get(token);
    if (hit !== undefined) return hit;
    const ok = (await viaTokenReview(token)) ?? (await viaRequest(token));
    cache.set(token, ok, ok ? 120_000 : 10_000);
    if (!ok) logger.debug('kubelet server: token rejected');
    return ok;
  };
}

/**
 * Authorizes requests to this kubelet with SubjectAccessReviews (Kubernetes' kubelet
 * --authorization-mode=Webhook): may `user` do `verb` on `nodes/<subresource>` of this node?
 * Decisions are cached (allowed 5 min, denied 30 s, as the kubelet's defaults). An apiserver
 * without the API (404) leaves requests authenticated-only, as before.
 */
export function subjectAccessReviewer(cfg: ClientConfig, logger: Logger): (user: KubeletUser, attrs: KubeletAttributes) => Promise<boolean> {
  const cache = new AnswerCache<boolean>();
  const client = new RestClient(cfg);
  let served = true;
  return async (user, attrs) => {
    if (!served) return true;
    const key = JSON.stringify([user.username, user.groups ?? [], attrs]);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    let allowed: boolean;
    try {
      const res = await client.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: user.username,
            groups: user.groups ?? [],
            uid: user.uid,
            ...(user.extra ? { extra: user.extra } : {}),
            resourceAttributes: { verb: attrs.verb, resource: attrs.resource, subresource: attrs.subresource, name: attrs.name, version: 'v1' },
          },
        },
        timeoutMs: 10_000,
      });
      allowed = res.status?.allowed === true;
    } catch (err) {
      if ((err as { code?: number }).code === 404) {
        served = false;
        logger.warn('the apiserver serves no SubjectAccessReviews: kubelet requests are authenticated only');
        return true;
      }
      throw err;
    }
    cache.set(key, allowed, allowed ? 300_000 : 30_000);
    if (!allowed) logger.info({ user: user.username, ...attrs }, 'kubelet server: request forbidden');
    return allowed;
  };
}
