/**
 * Service account tokens for projected `serviceAccountToken` sources, as Kubernetes' kubelet
 * token manager keeps them.
 *
 * `token(pod, source)` returns a token bound to the pod: from the cache while it is fresh,
 * else from a TokenRequest (`POST serviceaccounts/<spec.serviceAccountName || default>/token`
 * with the source's audience, expirationSeconds (default 3600) and a boundObjectRef to the
 * pod). A cached token is refreshed once it is older than 80% of its lifetime or than 24 h
 * (minus up to 10 s of jitter, so many pods do not refresh at once). A failed request throws
 * ContainerConfigError("failed to fetch token: <server message>") unless a cached token is
 * still unexpired, which is then returned (the next call tries again).
 * Cache entries are per pod uid + service account + audience + expirationSeconds;
 * `forgetPod` drops a pod's tokens, `prune` those of pods no longer running and expired ones.
 */
import { DEFAULT_SERVICE_ACCOUNT, RESOURCES, type ApiClient, type Logger, type Pod, type TokenRequest, type VolumeProjection } from '@mk8s/shared';
import { ContainerConfigError } from './env.js';

export type TokenSource = NonNullable<VolumeProjection['serviceAccountToken']>;

/** Posts `body` to serviceaccounts/<serviceAccount>/token in `namespace`; returns the answer. */
export type TokenRequester = (namespace: string, serviceAccount: string, body: TokenRequest) => Promise<TokenRequest>;

export const DEFAULT_EXPIRATION_SECONDS = 3600;
const MAX_TTL_MS = 24 * 3600 * 1000;
const MAX_JITTER_S = 10;

export function apiTokenRequester(client: ApiClient): TokenRequester {
  return (ns, sa, body) => client.resource(RESOURCES.serviceaccounts).createSubresource<TokenRequest>(ns, sa, 'token', body);
}

export const serviceAccountOf = (pod: Pod): string => pod.spec.serviceAccountName || DEFAULT_SERVICE_ACCOUNT;

/** The TokenRequest the kubelet sends for one source of a pod. */
export function tokenRequestFor(pod: Pod, src: TokenSource): TokenRequest {
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: {},
    spec: {
      audiences: src.audience ? [src.audience] : [],
      expirationSeconds: src.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    },
  };
}

export interface CachedToken {
  token: string;
  /** ms since epoch */
  expiresAt: number;
  /** the token's lifetime in seconds (the server's answer, else what was asked for) */
  ttlSeconds: number;
}

/** True when `t` must be requested again at `now` (ms): past 80% of its life, or 24 h old. */
export function requiresRefresh(t: CachedToken, now: number, jitterSeconds = 0): boolean {
  const jitter = jitterSeconds * 1000;
  const ttl = t.ttlSeconds * 1000;
  const issuedAt = t.expiresAt - ttl;
  if (now > issuedAt + MAX_TTL_MS - jitter) return true;
  return now > t.expiresAt - ttl / 5 - jitter;
}

export interface TokenManagerOptions {
  request: TokenRequester;
  /** ms since epoch */
  now?: () => number;
  /** seconds of jitter in [0, 10); default random */
  jitter?: () => number;
  logger?: Logger;
}

export class TokenManager {
  private readonly cache = new Map<string, CachedToken>();
  /** requests under way, so a sync and the refresher asking at once make one request */
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly now: () => number;
  private readonly jitter: () => number;

  constructor(private readonly o: TokenManagerOptions) {
    this.now = o.now ?? Date.now;
    this.jitter = o.jitter ?? (() => Math.floor(Math.random() * MAX_JITTER_S));
  }

  async token(pod: Pod, src: TokenSource): Promise<string> {
    const uid = pod.metadata.uid ?? '';
    const sa = serviceAccountOf(pod);
    const body = tokenRequestFor(pod, src);
    const key = [uid, sa, body.spec.audiences?.join(','), body.spec.expirationSeconds].join('/');
    const cached = this.cache.get(key);
    const now = this.now();
    if (cached && !requiresRefresh(cached, now, this.jitter())) return cached.token;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.fetch(pod, sa, body, key, cached, now).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private async fetch(pod: Pod, sa: string, body: TokenRequest, key: string, cached: CachedToken | undefined, now: number): Promise<string> {
    try {
      const res = await this.o.request(pod.metadata.namespace ?? 'default', sa, body);
      const token = res.status?.token;
      const expiresAt = Date.parse(res.status?.expirationTimestamp ?? '');
      if (!token || Number.isNaN(expiresAt)) throw new Error('the TokenRequest answer has no token or expirationTimestamp');
      const fresh = { token, expiresAt, ttlSeconds: res.spec?.expirationSeconds ?? body.spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS };
      this.cache.set(key, fresh);
      return token;
    } catch (err) {
      const message = (err as Error).message;
      if (cached && now < cached.expiresAt) {
        this.o.logger?.warn({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, err: message }, 'token refresh failed; keeping the unexpired token');
        return cached.token;
      }
      throw new ContainerConfigError(`failed to fetch token: ${message}`);
    }
  }

  /** Drops every token of pod `uid`. */
  forgetPod(uid: string): void {
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${uid}/`)) this.cache.delete(key);
  }

  /** Drops the tokens of pods not in `live` and the expired ones. */
  prune(live: ReadonlySet<string>): void {
    const now = this.now();
    for (const [key, t] of [...this.cache]) {
      if (!live.has(key.slice(0, key.indexOf('/'))) || t.expiresAt <= now) this.cache.delete(key);
    }
  }

  /** Number of cached tokens (for tests and metrics). */
  size(): number {
    return this.cache.size;
  }
}
