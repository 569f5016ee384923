/**
 * Authorization, after authentication, as Kubernetes' --authorization-mode chain: members of
 * `system:masters` may do anything (the privileged-group short cut Kubernetes keeps in front of
 * RBAC), then each mode in order - `AlwaysAllow` allows, `RBAC` allows what a bound role
 * grants - and a request nobody allows is refused with a 403 Forbidden Status worded as
 * Kubernetes words it. The open health and version paths are never authenticated, so never
 * reach here.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, qualifiedResource } from '@mk8s/shared';
import { requestAttributes, type Attributes } from './attributes.js';
import type { Decision, RbacAuthorizer } from './rbac.js';

export const SYSTEM_MASTERS = 'system:masters';

export type AuthorizationMode = 'AlwaysAllow' | 'RBAC';
export const AUTHORIZATION_MODES: readonly AuthorizationMode[] = ['AlwaysAllow', 'RBAC'];

/** Parses `--authorization-mode` (comma-separated, in order); throws on an unknown mode. */
export function parseAuthorizationModes(flag: string): AuthorizationMode[] {
  const modes = flag.split(',').map((m) => m.trim()).filter(Boolean);
  if (!modes.length) throw new Error('--authorization-mode: at least one mode is required');
  for (const m of modes) {
    if (!AUTHORIZATION_MODES.includes(m as AuthorizationMode)) throw new Error(`--authorization-mode: unknown mode "${m}" (known: ${AUTHORIZATION_MODES.join(', ')})`);
  }
  return modes as AuthorizationMode[];
}

export class Authorizer {
  constructor(
    readonly modes: readonly AuthorizationMode[],
    private readonly rbac?: RbacAuthorizer,
  ) {
    if (modes.includes('RBAC') && !rbac) throw new Error('RBAC authorization needs its role source');
  }

  /** Whether every request is allowed whoever makes it (no check worth running). */
  get allowsAll(): boolean {
    return this.modes[0] === 'AlwaysAllow';
  }

  authorize(a: Attributes): Decision {
    if (a.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
    const reasons: string[] = [];
    for (const mode of this.modes) {
      if (mode === 'AlwaysAllow') return { allowed: true, reason: '' };
      const d = this.rbac!.authorize(a);
      if (d.allowed) return d;
      if (d.reason) reasons.push(d.reason);
    }
    return { allowed: false, reason: reasons.join('; ') };
  }
}

/** Kubernetes' forbidden message for a request. */
export function forbiddenMessage(a: Attributes): string {
  const user = a.user.name;
  if (!a.resourceRequest) return `User "${user}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${where}`;
}

/** The 403 Status for a refused request (apierrors.NewForbidden). */
export function forbidden(a: Attributes, reason: string): ApiError {
  const why = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  if (!a.resourceRequest || !a.resource) return new ApiError(403, 'Forbidden', `forbidden: ${why}`);
  const qr = qualifiedResource(a.resource, a.apiGroup);
  const subject = a.name ? `${qr} "${a.name}"` : qr;
  const details: { kind: string; group?: string; name?: string } = { kind: a.resource };
  if (a.apiGroup) details.group = a.apiGroup;
  if (a.name) details.name = a.name;
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${why}`, details);
}

/** The 403 for `a`, or undefined when `authorizer` allows it. */
export function refusal(authorizer: Authorizer, a: Attributes): ApiError | undefined {
  const d = authorizer.authorize(a);
  return d.allowed ? undefined : forbidden(a, d.reason);
}

/** Refuses with 403 what `authorizer` does not allow; runs after the authentication hook. */
export function installAuthorization(app: FastifyInstance, authorizer: Authorizer): void {
  if (authorizer.allowsAll) return;
  app.addHook('onRequest', (req, _reply, done) => {
    const user = req.userInfo;
    if (!user) return done(); // an open path: nothing was authenticated
    if (user.groups.includes(SYSTEM_MASTERS)) return done(); // decided without parsing the URL
    done(refusal(authorizer, requestAttributes(user, req.method, req.url)));
  });
}
