/**
 * API errors with Kubernetes' stable reasons. The apiserver throws `ApiError`s and turns them
 * into `Status` bodies only at the HTTP edge; clients turn `Status` replies back into
 * `ApiError`s. Callers branch on `reason` (isNotFound, isConflict, ...), never on message text.
 */
import type { Status, StatusCause, StatusDetails } from './meta.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | 'NonZeroExitCode'
  | '';

export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }

  static fromStatus(s: Partial<Status>, fallbackCode = 500): ApiError {
    return new ApiError(
      s.code ?? fallbackCode,
      (s.reason ?? '') as StatusReason,
      s.message ?? `request failed with code ${s.code ?? fallbackCode}`,
      s.details,
    );
  }
}

/** Kubernetes' qualified resource name for messages: `pods`, `deployments.apps`. */
export function qualifiedResource(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const newNotFound = (resource: string, group: string, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: resource,
  });

export const newAlreadyExists = (resource: string, group: string, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: resource,
  });

export const newConflict = (resource: string, group: string, name: string, why: string): ApiError =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`, {
    name,
    group: group || undefined,
    kind: resource,
  });

export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export const newInvalid = (kind: string, group: string, name: string, causes: StatusCause[]): ApiError => {
  const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : (c.message ?? ''))).join(', ');
  const list = causes.length > 1 ? `[${summary}]` : summary;
  return new ApiError(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${list}`, {
    name,
    group: group || undefined,
    kind,
    causes,
  });
};

export const newBadRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);
export const newGone = (message: string): ApiError => new ApiError(410, 'Expired', message);
export const newForbidden = (message: string): ApiError => new ApiError(403, 'Forbidden', message);
export const newInternal = (message: string): ApiError => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);

const reasonIs = (reason: StatusReason) => (err: unknown): boolean => err instanceof ApiError && err.reason === reason;
export const isNotFound = reasonIs('NotFound');
export const isAlreadyExists = reasonIs('AlreadyExists');
export const isConflict = reasonIs('Conflict');
export const isInvalid = reasonIs('Invalid');
/** The status cause Kubernetes attaches to a create refused in a namespace being deleted. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';
/** A create refused because its namespace is being deleted (apimachinery's HasStatusCause(err, NamespaceTerminatingCause)). */
export const isNamespaceTerminating = (err: unknown): boolean =>
  err instanceof ApiError && err.reason === 'Forbidden' && !!err.details?.causes?.some((c) => c.reason === NAMESPACE_TERMINATING_CAUSE);
export const isGone = (err: unknown): boolean => err instanceof ApiError && (err.reason === 'Expired' || err.reason === 'Gone' || err.code === 410);
