/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i`). mk8s has no RBAC:
 * every authenticated user may do everything, and the review says so.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '@mk8s/shared';
import { decodeObjectBody } from './body.js';

export function accessReviewRoutes(app: FastifyInstance): void {
  app.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', async (req, reply) => {
    const body = decodeObjectBody(req.headers['content-type'], req.body) as { spec?: unknown };
    if (!body || typeof body !== 'object' || !body.spec) {
      throw new ApiError(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec: Required value');
    }
    return reply.code(201).send({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: body.spec,
      status: { allowed: true, reason: 'mk8s allows every authenticated user (no RBAC)' },
    });
  });
}
