/**
 * How mkctl fails: every error becomes exactly one line on stderr and a non-zero exit code.
 * `CliError` is a local usage or input error (`error: ...`); an `ApiError` from the server is
 * printed kubectl-style (`Error from server (NotFound): pods "x" not found`). Commands throw;
 * only main.ts prints and exits.
 */
import { ApiError } from '@mk8s/shared';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Thrown to end the process with a code after the command has already printed its messages. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

/** The one-line message for any thrown value. */
export function formatError(err: unknown): string {
  if (err instanceof ApiError) {
    const msg = oneLine(err.message);
    if (err.code === 401) return 'error: You must be logged in to the server (Unauthorized)';
    if (err.reason === 'Invalid' && err.details?.kind) return `The ${err.details.kind} "${err.details.name ?? ''}" is invalid: ${invalidSummary(err)}`;
    if (err.reason) return `Error from server (${err.reason}): ${msg}`;
    return `Error from server: ${msg}`;
  }
  if (err instanceof Error) {
    const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
    if (e.code === 'ECONNREFUSED') return `The connection to the server ${e.address ?? ''}${e.port ? `:${e.port}` : ''} was refused - did you specify the right host or port?`;
    if (e.code && NETWORK_CODES.has(e.code)) return `Unable to connect to the server: ${oneLine(err.message)}`;
    return `error: ${oneLine(err.message)}`;
  }
  return `error: ${oneLine(String(err))}`;
}

/** Failures to reach or trust the server, reported as kubectl does ("Unable to connect to the server: ..."). */
const NETWORK_CODES = new Set([
  'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED',
]);

function invalidSummary(err: ApiError): string {
  const causes = err.details?.causes ?? [];
  if (causes.length === 0) return oneLine(err.message);
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
  return parts.length > 1 ? `[${parts.join(', ')}]` : (parts[0] ?? '');
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
