/** List continuation tokens: the revision the first page was read at and the next key. */
import { ApiError } from '@mk8s/shared';

export interface ContinueState {
  rv: number;
  start: string;
}

export function encodeContinue(s: ContinueState): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: s.rv, start: s.start })).toString('base64url');
}

export function decodeContinue(token: string, prefix: string): ContinueState {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof raw.rv === 'number' && typeof raw.start === 'string' && raw.start.startsWith(prefix)) {
      return { rv: raw.rv, start: raw.start };
    }
  } catch {
    // fall through
  }
  throw new ApiError(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
