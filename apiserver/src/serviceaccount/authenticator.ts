/**
 * The service account token authenticator: a bearer token authenticates as
 * system:serviceaccount:<ns>:<name> when it verifies (jwt.ts) and the objects it names
 * still exist with the uids it names: the service account always, and the pod, secret or
 * node it is bound to. As in Kubernetes, an object deleted (deletionTimestamp) more than
 * the one-minute leeway ago no longer backs a token. Lookups come from `ObjectLookups`,
 * which the server answers from its watch caches.
 */
import type { KubeObject } from '@mk8s/shared';
import { kubernetesClaimsOf, userFromClaims, type KubernetesClaims, type ObjectRef, type ServiceAccountUser } from './claims.js';
import { CLOCK_LEEWAY_SECONDS, verifyToken } from './jwt.js';
import type { VerificationKey } from './keys.js';

/**
 * Object reads for the checks. `fresh` false may answer from a cache; when that answer does
 * not back the token the check is repeated with `fresh` true (storage), so a cache that
 * lags a just-created object never refuses a good token.
 */
export interface ObjectLookups {
  serviceAccount(namespace: string, name: string, fresh: boolean): Promise<KubeObject | undefined>;
  pod(namespace: string, name: string, fresh: boolean): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string, fresh: boolean): Promise<KubeObject | undefined>;
  node(name: string, fresh: boolean): Promise<KubeObject | undefined>;
}

export interface AuthenticatorOptions {
  issuer: string;
  /** the API audiences: a token must name one of them */
  audiences: string[];
  keys: VerificationKey[];
  lookups: ObjectLookups;
  now?: () => number;
}

/** Why a referenced object no longer backs the token, or undefined when it does. */
export function staleReason(what: string, ref: ObjectRef, obj: KubeObject | undefined, now: number): string | undefined {
  if (!obj) return `${what} ${ref.name} not found`;
  if (obj.metadata.uid !== ref.uid) return `${what} UID (${obj.metadata.uid ?? ''}) does not match claim (${ref.uid})`;
  const deleted = obj.metadata.deletionTimestamp ? Date.parse(obj.metadata.deletionTimestamp) : NaN;
  if (deleted < now - CLOCK_LEEWAY_SECONDS * 1000) return `${what} ${ref.name} has been deleted`;
  return undefined;
}

export class ServiceAccountAuthenticator {
  private readonly now: () => number;

  constructor(private readonly o: AuthenticatorOptions) {
    this.now = o.now ?? Date.now;
  }

  get issuer(): string {
    return this.o.issuer;
  }

  /** The user, or undefined when the token is not a valid service account token here. */
  async authenticate(token: string, audiences: string[] = this.o.audiences): Promise<ServiceAccountUser | undefined> {
    return (await this.review(token, audiences))?.user;
  }

  /** The user and which of `audiences` (default: the API audiences) the token names. */
  async review(token: string, audiences: string[] = this.o.audiences): Promise<{ user: ServiceAccountUser; audiences: string[] } | undefined> {
    const now = this.now();
    const payload = await verifyToken(token, this.o.keys, { issuer: this.o.issuer, audiences, now });
    if (!payload) return undefined;
    const k = kubernetesClaimsOf(payload as Record<string, unknown>);
    if (!k) return undefined;
    if (await this.staleReason(k, now)) return undefined;
    const aud = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    return { user: userFromClaims(k, typeof payload.jti === 'string' ? payload.jti : undefined), audiences: audiences.filter((a) => aud.includes(a)) };
  }

  private async staleReason(k: KubernetesClaims, now: number): Promise<string | undefined> {
    const l = this.o.lookups;
    const ns = k.namespace;
    const checks: [string, ObjectRef | undefined, (name: string, fresh: boolean) => Promise<KubeObject | undefined>][] = [
      ['service account', k.serviceaccount, (n, f) => l.serviceAccount(ns, n, f)],
      ['secret', k.secret, (n, f) => l.secret(ns, n, f)],
      ['pod', k.pod, (n, f) => l.pod(ns, n, f)],
    ];
    // A token bound to a node directly (not via a pod) needs the node; a pod's node is informational.
    if (!k.pod) checks.push(['node', k.node, (n, f) => l.node(n, f)]);
    for (const [what, ref, get] of checks) {
      if (!ref) continue;
      if (!staleReason(what, ref, await get(ref.name, false), now)) continue;
      const reason = staleReason(what, ref, await get(ref.name, true), now);
      if (reason) return reason;
    }
    return undefined;
  }
}
