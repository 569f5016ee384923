/**
 * The claims of a Kubernetes service account token, built and checked as pure functions.
 * A token says who (`sub` system:serviceaccount:<ns>:<name>, and under `kubernetes.io` the
 * namespace and the service account's name and uid), for whom (`aud`), when (`iat`, `nbf`,
 * `exp`, all seconds since the epoch) and optionally what it is bound to (a pod, a secret
 * or a node; a pod-bound token also names the pod's node). `jti` is a random id; `warnafter`
 * marks a kubelet token whose lifetime the issuer extended.
 */
export interface ObjectRef {
  name: string;
  uid: string;
}

export interface KubernetesClaims {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  warnafter?: number;
}

export interface ServiceAccountClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': KubernetesClaims;
  nbf: number;
  sub: string;
}

export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

export const serviceAccountUsername = (namespace: string, name: string): string => `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;

export interface ClaimsInput {
  issuer: string;
  audiences: string[];
  namespace: string;
  serviceAccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  expirationSeconds: number;
  /** milliseconds since the epoch */
  now: number;
  jti: string;
  /** seconds from now after which the holder should have rotated (extended tokens) */
  warnAfterSeconds?: number;
}

export function buildClaims(i: ClaimsInput): ServiceAccountClaims {
  const now = Math.floor(i.now / 1000);
  const k: KubernetesClaims = { namespace: i.namespace, serviceaccount: { ...i.serviceAccount } };
  if (i.pod) k.pod = { ...i.pod };
  if (i.secret) k.secret = { ...i.secret };
  if (i.node) k.node = { ...i.node };
  if (i.warnAfterSeconds) k.warnafter = now + i.warnAfterSeconds;
  return {
    aud: [...i.audiences],
    exp: now + i.expirationSeconds,
    iat: now,
    iss: i.issuer,
    jti: i.jti,
    'kubernetes.io': k,
    nbf: now,
    sub: serviceAccountUsername(i.namespace, i.serviceAccount.name),
  };
}

const isRef = (v: unknown): v is ObjectRef =>
  typeof v === 'object' && v !== null && typeof (v as ObjectRef).name === 'string' && !!(v as ObjectRef).name && typeof (v as ObjectRef).uid === 'string';

/**
 * The `kubernetes.io` claims of a verified payload when they are well formed and agree
 * with `sub`; undefined otherwise (the token is then not a service account token).
 */
export function kubernetesClaimsOf(payload: Record<string, unknown>): KubernetesClaims | undefined {
  const k = payload['kubernetes.io'];
  if (typeof k !== 'object' || k === null) return undefined;
  const c = k as Record<string, unknown>;
  if (typeof c.namespace !== 'string' || !c.namespace || !isRef(c.serviceaccount) || !c.serviceaccount.uid) return undefined;
  if (payload.sub !== serviceAccountUsername(c.namespace, c.serviceaccount.name)) return undefined;
  for (const f of ['pod', 'secret', 'node'] as const) if (c[f] !== undefined && !isRef(c[f])) return undefined;
  return c as unknown as KubernetesClaims;
}

export interface ServiceAccountUser {
  name: string;
  uid: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The user a verified token authenticates as (Kubernetes' ServiceAccountInfo.UserInfo). */
export function userFromClaims(k: KubernetesClaims, jti: string | undefined): ServiceAccountUser {
  const extra: Record<string, string[]> = {};
  if (k.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
  }
  if (k.node) {
    extra['authentication.kubernetes.io/node-name'] = [k.node.name];
    extra['authentication.kubernetes.io/node-uid'] = [k.node.uid];
  }
  if (jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${jti}`];
  const user: ServiceAccountUser = {
    name: serviceAccountUsername(k.namespace, k.serviceaccount.name),
    uid: k.serviceaccount.uid,
    groups: [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${k.namespace}`, 'system:authenticated'],
  };
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}
