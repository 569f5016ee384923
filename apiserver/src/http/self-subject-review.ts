/**
 * authentication.k8s.io SelfSubjectReview (`kubectl auth whoami`): answers with the user the
 * request authenticated as. Served at v1 (kubectl 1.28+) and at v1beta1/v1alpha1, which
 * older kubectls fall back to. Every authenticated user is in `system:authenticated` (the
 * authenticators see to it).
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '@mk8s/shared';
import { decodeObjectBody } from './body.js';
import { userInfoJson } from './token-review.js';

export function selfSubjectReviewRoutes(app: FastifyInstance): void {
  for (const version of ['v1', 'v1beta1', 'v1alpha1']) {
    app.post(`/apis/authentication.k8s.io/${version}/selfsubjectreviews`, async (req, reply) => {
      decodeObjectBody(req.headers['content-type'], req.body);
      const user = req.userInfo;
      if (!user) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      return reply.code(201).send({
        kind: 'SelfSubjectReview',
        apiVersion: `authentication.k8s.io/${version}`,
        metadata: { creationTimestamp: null },
        status: { userInfo: userInfoJson(user) },
      });
    });
  }
}
