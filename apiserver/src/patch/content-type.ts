/**
 * Maps a PATCH request's Content-Type to the patch mechanism, with Kubernetes' 415 for anything
 * else. Media-type parameters (`; charset=utf-8`) are ignored.
 */
import { ApiError } from '@mk8s/shared';

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

const BY_MEDIA_TYPE: Record<string, PatchKind> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export const PATCH_MEDIA_TYPES = Object.keys(BY_MEDIA_TYPE);

export function unsupportedPatchMediaType(accepted: string[] = PATCH_MEDIA_TYPES): ApiError {
  const order = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/strategic-merge-patch+json'];
  const list = order.filter((t) => accepted.includes(t)).join(', ');
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${list}`);
}

export function patchKindFromContentType(ct: string | undefined): PatchKind {
  const mediaType = (ct ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const kind = BY_MEDIA_TYPE[mediaType];
  if (!kind) throw unsupportedPatchMediaType();
  return kind;
}
