/**
 * The HTTP edge of errors: every failure leaves the server as a Kubernetes `Status` body with
 * the HTTP code equal to `code` — ours, fastify's (body too large, bad content type, bad
 * JSON) and unexpected ones alike.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError, type Logger } from '@mk8s/shared';

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as Partial<FastifyError> & { message?: string };
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(415, 'UnsupportedMediaType', fe.message ?? 'unsupported media type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'BadRequest', fe.message ?? 'invalid JSON body');
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ApiError(fe.statusCode, fe.statusCode === 413 ? 'RequestEntityTooLarge' : 'BadRequest', fe.message ?? 'bad request');
  }
  return new ApiError(500, 'InternalError', `Internal error occurred: ${fe.message ?? String(err)}`);
}

export function installErrorHandlers(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((err, req, reply) => {
    const apiErr = toApiError(err);
    if (apiErr.code >= 500) log.error({ err, url: req.url, method: req.method }, 'request failed');
    void reply.code(apiErr.code).type('application/json').send(apiErr.toStatus());
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    void reply.code(404).type('application/json').send(e.toStatus());
  });
}
