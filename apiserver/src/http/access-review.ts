/**
 * authorization.k8s.io/v1 reviews a user asks about themselves: SelfSubjectAccessReview
 * (`kubectl auth can-i VERB RESOURCE`) answers from the same authorizer requests go through,
 * and SelfSubjectRulesReview (`kubectl auth can-i --list`) lists the rules bound to the user in
 * a namespace (everything, when authorization allows everyone everything). SubjectAccessReview
 * asks the same question about another user (kubelets authorize their own API with it).
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, type PolicyRule } from '@mk8s/shared';
import { attributesOf, type Attributes } from '../authz/attributes.js';
import type { Authorizer } from '../authz/authorizer.js';
import type { RbacAuthorizer } from '../authz/rbac.js';
import { decodeObjectBody } from './body.js';
import type { UserInfo } from './auth.js';

const GROUP_VERSION = 'authorization.k8s.io/v1';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface ReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: { path?: string; verb?: string };
  namespace?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function invalid(kind: string, field: string, message: string): ApiError {
  return new ApiError(422, 'Invalid', `${kind}.authorization.k8s.io "" is invalid: ${field}: ${message}`, {
    group: 'authorization.k8s.io',
    kind,
    causes: [{ reason: 'FieldValueRequired', message, field }],
  });
}

/** The attributes a SelfSubjectAccessReview asks about, validated as Kubernetes does. */
export function reviewAttributes(user: UserInfo, spec: ReviewSpec): Attributes {
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  if (!r && !n) throw invalid('SelfSubjectAccessReview', 'spec.resourceAttributes', 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified');
  if (r && n) throw invalid('SelfSubjectAccessReview', 'spec.nonResourceAttributes', 'Invalid value: "": cannot be specified in combination with resourceAttributes');
  if (n) return attributesOf(user, { verb: str(n.verb), resourceRequest: false, path: str(n.path) });
  return attributesOf(user, {
    verb: str(r!.verb),
    apiGroup: str(r!.group),
    apiVersion: str(r!.version),
    namespace: str(r!.namespace),
    resource: str(r!.resource),
    subresource: str(r!.subresource),
    name: str(r!.name),
  });
}

const EVERYTHING = { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }] };

function rulesStatus(rules: { resource: PolicyRule[]; nonResource: PolicyRule[] }) {
  return {
    resourceRules: rules.resource.map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) })),
    nonResourceRules: rules.nonResource.map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs ?? [] })),
  };
}

export function accessReviewRoutes(app: FastifyInstance, authorizer: Authorizer, rbac?: RbacAuthorizer): void {
  const userOf = (req: { userInfo?: UserInfo }) => {
    if (!req.userInfo) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    return req.userInfo;
  };
  const specOf = (kind: string, contentType: string | undefined, body: unknown): ReviewSpec => {
    const obj = decodeObjectBody(contentType, body) as { spec?: ReviewSpec } | undefined;
    if (!obj || typeof obj !== 'object' || !obj.spec || typeof obj.spec !== 'object') throw invalid(kind, 'spec', 'Required value');
    return obj.spec;
  };

  /** A review answered: the kind, the spec as asked, and the status. */
  const answer = (kind: string, spec: unknown, status: unknown) => ({ kind, apiVersion: GROUP_VERSION, metadata: { creationTimestamp: null }, spec, status });
  const decision = (d: { allowed: boolean; reason: string }) => ({ allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) });

  app.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', async (req, reply) => {
    const spec = specOf('SelfSubjectAccessReview', req.headers['content-type'], req.body);
    const d = authorizer.authorize(reviewAttributes(userOf(req), spec));
    return reply.code(201).send(answer('SelfSubjectAccessReview', spec, decision(d)));
  });

  // SubjectAccessReview: a component (a kubelet guarding its own API) asks about another user
  app.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', async (req, reply) => {
    userOf(req);
    const spec = specOf('SubjectAccessReview', req.headers['content-type'], req.body) as ReviewSpec & { user?: unknown; groups?: unknown; uid?: unknown; extra?: unknown };
    const name = str(spec.user);
    const groups = Array.isArray(spec.groups) ? spec.groups.filter((g): g is string => typeof g === 'string') : [];
    if (!name && !groups.length) throw invalid('SubjectAccessReview', 'spec.user', 'Invalid value: "": at least one of user or group must be specified');
    const subject: UserInfo = { name, uid: str(spec.uid), groups };
    const d = authorizer.authorize(reviewAttributes(subject, spec));
    return reply.code(201).send(answer('SubjectAccessReview', spec, decision(d)));
  });

  app.post('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', async (req, reply) => {
    const spec = specOf('SelfSubjectRulesReview', req.headers['content-type'], req.body);
    const user = userOf(req);
    const everything = authorizer.allowsAll || user.groups.includes('system:masters') || !rbac;
    const rules = everything ? EVERYTHING : rulesStatus(rbac.rulesFor(user, str(spec.namespace)));
    return reply.code(201).send(answer('SelfSubjectRulesReview', spec, { ...rules, incomplete: false }));
  });
}
