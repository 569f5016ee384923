/**
 * `mkctl create token SERVICEACCOUNT`: asks the apiserver for a service account token (a
 * TokenRequest posted to serviceaccounts/<name>/token) and prints it, as `kubectl create
 * token` does. `--duration` asks for a lifetime (whole seconds; the server may shorten it),
 * `--audience` for audiences, `--bound-object-kind/-name/-uid` binds the token to a Pod or
 * Secret so it dies with that object.
 */
import { RESOURCES, parseDuration, resourcePath, type TokenRequest } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';

export interface TokenOptions {
  duration?: string;
  audience?: string[];
  boundObjectKind?: string;
  boundObjectName?: string;
  boundObjectUid?: string;
}

const BOUND_KINDS: Record<string, string> = { Pod: 'v1', Secret: 'v1' };

/** The TokenRequest `create token` sends; throws CliError for flags kubectl refuses. */
export function buildTokenRequest(opts: TokenOptions): TokenRequest {
  const spec: TokenRequest['spec'] = {};
  if (opts.audience?.length) {
    if (opts.audience.some((a) => a === '')) throw new CliError('--audience must not be an empty string');
    spec.audiences = opts.audience;
  }
  if (opts.duration !== undefined) {
    let ms: number;
    try {
      ms = parseDuration(opts.duration);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    if (ms < 0) throw new CliError('--duration must be greater than or equal to 0');
    if (ms % 1000 !== 0) throw new CliError('--duration cannot be expressed in units less than seconds');
    if (ms > 0) spec.expirationSeconds = ms / 1000;
  }
  const kind = opts.boundObjectKind;
  if (kind) {
    const apiVersion = BOUND_KINDS[kind];
    if (!apiVersion) throw new CliError(`supported --bound-object-kind values are ${Object.keys(BOUND_KINDS).join(', ')}`);
    if (!opts.boundObjectName) throw new CliError('--bound-object-name is required if --bound-object-kind is provided');
    spec.boundObjectRef = { kind, apiVersion, name: opts.boundObjectName, ...(opts.boundObjectUid ? { uid: opts.boundObjectUid } : {}) };
  } else if (opts.boundObjectName) {
    throw new CliError('--bound-object-name can only be set if --bound-object-kind is provided');
  } else if (opts.boundObjectUid) {
    throw new CliError('--bound-object-uid can only be set if --bound-object-kind is provided');
  }
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec };
}

export async function runCreateToken(ctx: Context, serviceAccount: string, opts: TokenOptions): Promise<number> {
  const body = buildTokenRequest(opts);
  const path = `${resourcePath(RESOURCES.serviceaccounts, ctx.namespace)}/${encodeURIComponent(serviceAccount)}/token`;
  const res = await ctx.client.request<TokenRequest>('POST', path, { body });
  const token = res.status?.token;
  if (!token) throw new CliError('the server returned no token');
  ctx.out.write(`${token}\n`);
  return 0;
}
