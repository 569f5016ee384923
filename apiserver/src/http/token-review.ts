/**
 * authentication.k8s.io/v1 TokenReview: lets a kubelet check a bearer token presented to it
 * (by the apiserver's log/exec proxy or a user) against the apiserver's token table.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '@mk8s/shared';
import { authenticate, type TokenTable } from './auth.js';
import { decodeObjectBody } from './body.js';

interface TokenReview {
  spec?: { token?: string };
}

export function tokenReviewRoutes(app: FastifyInstance, table: TokenTable): void {
  app.post('/apis/authentication.k8s.io/v1/tokenreviews', async (req, reply) => {
    const body = decodeObjectBody(req.headers['content-type'], req.body) as TokenReview;
    const token = body?.spec?.token;
    if (typeof token !== 'string' || !token) throw new ApiError(422, 'Invalid', 'TokenReview.authentication.k8s.io "" is invalid: spec.token: Required value');
    const user = authenticate(table, token);
    return reply.code(201).send({
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { token },
      status: user
        ? { authenticated: true, user: { username: user.name, uid: user.uid, groups: user.groups } }
        : { authenticated: false, error: 'invalid bearer token' },
    });
  });
}
