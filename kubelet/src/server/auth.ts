/**
 * Bearer-token authentication for the kubelet server. Every endpoint but /healthz needs
 * `Authorization: Bearer <token>` accepted by the injected `authenticate` (a TokenReview in
 * production). A failing or throwing authenticator means 401.
 */
import type { Logger } from '@mk8s/shared';

export type Authenticate = (token: string) => Promise<boolean>;

/** The token of a `Bearer` Authorization header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return m?.[1];
}

export async function isAuthenticated(
  header: string | string[] | undefined,
  authenticate: Authenticate,
  logger: Logger,
): Promise<boolean> {
  const token = bearerToken(header);
  if (!token) return false;
  try {
    return await authenticate(token);
  } catch (err) {
    logger.warn({ err }, 'authentication failed');
    return false;
  }
}
