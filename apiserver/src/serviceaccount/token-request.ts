/**
 * TokenRequest (`POST .../serviceaccounts/<name>/token`): validates the request as
 * Kubernetes does (expirationSeconds defaults to an hour, at least 10 minutes, at most
 * 2^32 seconds), looks up the service account (404 when absent) and the bound object
 * (Pod, Secret or Node; it must exist, match a given uid (409), and a pod must run as
 * this service account (400)), then signs the token. Audiences default to the API
 * audiences. The reply is the request with spec defaults and status {token,
 * expirationTimestamp} filled in; expirationTimestamp is always now + the requested seconds.
 */
import { randomUUID } from 'node:crypto';
import { newBadRequest, newConflict, newInvalid, type KubeObject, type Pod, type TokenRequest } from '@mk8s/shared';
import { invalid, isObj, type FieldCause } from '../validation/causes.js';
import { MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS } from '../validation/projected.js';
import { buildClaims, type ObjectRef } from './claims.js';
import { signToken } from './jwt.js';
import type { SigningKey } from './keys.js';

export const DEFAULT_TOKEN_SECONDS = 3600;
/** What kubelets ask for kube-api-access volumes; such pod-bound tokens may be extended. */
export const WARN_ONLY_TOKEN_SECONDS = 3607;
export const EXTENDED_TOKEN_SECONDS = 365 * 24 * 3600;

/** Authoritative reads (404 ApiErrors when absent) for the objects a request names. */
export interface TokenRequestLookups {
  serviceAccount(namespace: string, name: string): Promise<KubeObject>;
  pod(namespace: string, name: string): Promise<KubeObject>;
  secret(namespace: string, name: string): Promise<KubeObject>;
  node(name: string): Promise<KubeObject>;
  /** the node a bound pod runs on, when it exists (informational claim) */
  findNode(name: string): Promise<KubeObject | undefined>;
}

export interface TokenIssuerOptions {
  issuer: string;
  audiences: string[];
  signing: SigningKey;
  now?: () => number;
  newId?: () => string;
  /**
   * --service-account-extend-token-expiration: a pod-bound token for the API audiences
   * requested for exactly 3607 s lives a year (with `warnafter` at 3607 s), so a kubelet
   * that fails to rotate does not break its pods; the reply still says 3607 s.
   */
  extendExpiration?: boolean;
}

export function validateTokenRequest(tr: TokenRequest): FieldCause[] {
  if (!isObj(tr.spec)) return [];
  const exp = tr.spec.expirationSeconds;
  const field = 'spec.expirationSeconds';
  if (exp === undefined || exp === null) return [];
  if (typeof exp !== 'number' || !Number.isInteger(exp)) return [invalid(field, exp, 'must be an integer')];
  if (exp < MIN_TOKEN_SECONDS) return [invalid(field, exp, 'may not specify a duration less than 10 minutes')];
  if (exp > MAX_TOKEN_SECONDS) return [invalid(field, exp, 'may not specify a duration larger than 2^32 seconds')];
  return [];
}

/** Fills the spec defaults in place. */
export function defaultTokenRequest(tr: TokenRequest, apiAudiences: string[]): void {
  if (!isObj(tr.spec)) tr.spec = {};
  if (!Array.isArray(tr.spec.audiences) || tr.spec.audiences.length === 0) tr.spec.audiences = [...apiAudiences];
  tr.spec.expirationSeconds ??= DEFAULT_TOKEN_SECONDS;
}

const refOf = (o: KubeObject): ObjectRef => ({ name: o.metadata.name ?? '', uid: o.metadata.uid ?? '' });

interface Bound {
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
}

async function resolveBoundObject(tr: TokenRequest, namespace: string, saName: string, l: TokenRequestLookups): Promise<Bound> {
  const ref = tr.spec.boundObjectRef;
  if (!isObj(ref)) return {};
  const apiVersion = ref.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = ref.kind ?? '';
  const name = ref.name ?? '';
  const out: Bound = {};
  let obj: KubeObject;
  if (group === '' && kind === 'Pod') {
    obj = await l.pod(namespace, name);
    const pod = obj as Pod;
    if ((pod.spec?.serviceAccountName ?? '') !== saName) {
      throw newBadRequest(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`);
    }
    out.pod = refOf(pod);
    const nodeName = pod.spec?.nodeName;
    const node = nodeName ? await l.findNode(nodeName) : undefined;
    if (node) out.node = refOf(node);
  } else if (group === '' && kind === 'Secret') {
    obj = await l.secret(namespace, name);
    out.secret = refOf(obj);
  } else if (group === '' && kind === 'Node') {
    obj = await l.node(name);
    out.node = refOf(obj);
  } else {
    // Go's GroupVersionKind.String(): "<group>/<version>, Kind=<kind>", the core group empty
    const gvk = `${group}/${apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion}, Kind=${kind}`;
    throw newBadRequest(`cannot bind token to object of type ${gvk}`);
  }
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    throw newConflict(kind, group, name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return out;
}

export async function createToken(o: TokenIssuerOptions, l: TokenRequestLookups, namespace: string, saName: string, body: unknown): Promise<TokenRequest> {
  const tr = (isObj(body) ? structuredClone(body) : {}) as TokenRequest;
  if (!isObj(tr.spec)) tr.spec = {};
  const causes = validateTokenRequest(tr);
  if (causes.length) throw newInvalid('TokenRequest', 'authentication.k8s.io', '', causes);
  defaultTokenRequest(tr, o.audiences);
  const sa = await l.serviceAccount(namespace, saName);
  const bound = await resolveBoundObject(tr, namespace, saName, l);
  const now = (o.now ?? Date.now)();
  const requested = tr.spec.expirationSeconds!;
  const extend = !!o.extendExpiration && !!bound.pod && requested === WARN_ONLY_TOKEN_SECONDS && tr.spec.audiences!.every((a) => o.audiences.includes(a));
  const claims = buildClaims({
    issuer: o.issuer,
    audiences: tr.spec.audiences!,
    namespace,
    serviceAccount: refOf(sa),
    ...bound,
    expirationSeconds: extend ? EXTENDED_TOKEN_SECONDS : requested,
    now,
    jti: (o.newId ?? randomUUID)(),
    ...(extend ? { warnAfterSeconds: requested } : {}),
  });
  const token = await signToken(o.signing, claims);
  return {
    ...tr,
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...(isObj(tr.metadata) ? tr.metadata : {}), name: saName, namespace, creationTimestamp: null as unknown as string },
    status: { token, expirationTimestamp: new Date((claims.iat + requested) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
}
