/**
 * Authenticates bearer tokens presented to the kubelet server (logs/exec) by asking the
 * apiserver: a TokenReview when the apiserver serves them, else a `GET /api` made with the
 * presented token (2xx = a known identity, 401 = not). Results are cached briefly
 * (positive 2 min, negative 10 s) so a log stream does not cost an API call per request.
 */
import { RestClient, type ClientConfig, type Logger } from '@mk8s/shared';

interface CacheEntry {
  ok: boolean;
  until: number;
}

export function tokenAuthenticator(cfg: ClientConfig, logger: Logger): (token: string) => Promise<boolean> {
  const cache = new Map<string, CacheEntry>();
  const admin = new RestClient(cfg);
  let tokenReviews: boolean | undefined;

  const viaTokenReview = async (token: string): Promise<boolean | undefined> => {
    if (tokenReviews === false) return undefined;
    try {
      const res = await admin.request<{ status?: { authenticated?: boolean } }>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
        timeoutMs: 10_000,
      });
      tokenReviews = true;
      return res.status?.authenticated === true;
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

  return async (token: string): Promise<boolean> => {
    const now = Date.now();
    const hit = cache.get(token);
    if (hit && hit.until > now) return hit.ok;
    const ok = (await viaTokenReview(token)) ?? (await viaRequest(token));
    if (cache.size > 1000) cache.clear();
    cache.set(token, { ok, until: now + (ok ? 120_000 : 10_000) });
    if (!ok) logger.debug('kubelet server: token rejected');
    return ok;
  };
}
