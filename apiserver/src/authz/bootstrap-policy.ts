/**
 * The roles and bindings every cluster starts with, as Kubernetes' RBAC bootstrap policy:
 * cluster-admin (bound to system:masters), the user-facing admin, edit and view, discovery and
 * self-review for every authenticated user, and one role per mk8s component bound to the group
 * its token carries (deploy/pki.sh). Created at each start when missing and reconciled when
 * present (reconcile.ts: what they lack is added, an administrator's additions stay, and
 * `rbac.authorization.kubernetes.io/autoupdate: "false"` opts an object out), as Kubernetes does.
 *
 * Where mk8s is coarser than Kubernetes: the controller-manager runs every controller under
 * its own identity (Kubernetes' --use-service-account-credentials=false), so its role allows
 * everything; kubelets may read every object (Kubernetes' Node authorizer narrows a kubelet to
 * the secrets, configmaps and volumes of its own pods).
 */
import { RBAC_GROUP, type ClusterRole, type ClusterRoleBinding, type PolicyRule, type Subject } from '@mk8s/shared';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL = ['*'];

const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({ apiGroups, resources, verbs });
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ nonResourceURLs, verbs });

/** Everyday namespaced objects a developer reads (view) and, with edit, writes. */
const WORKLOAD_RESOURCES: [string[], string[]][] = [
  [[''], ['pods', 'pods/status', 'pods/log', 'services', 'services/status', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'replicationcontrollers', 'replicationcontrollers/scale', 'replicationcontrollers/status', 'serviceaccounts', 'events', 'bindings', 'namespaces', 'namespaces/status', 'limitranges', 'resourcequotas']],
  [['apps'], ['deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'daemonsets', 'daemonsets/status', 'statefulsets', 'controllerrevisions']],
  [['batch'], ['jobs', 'jobs/status', 'cronjobs']],
  [['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']],
  [['discovery.k8s.io'], ['endpointslices']],
  [['events.k8s.io'], ['events']],
  // what metrics-server's system:aggregated-metrics-reader adds to view, edit and admin (kubectl top)
  [['metrics.k8s.io'], ['pods', 'nodes']],
];

/** The rules behind view, edit and admin, in the system:aggregate-to-* roles that aggregate into them. */
const aggregateToView: PolicyRule[] = WORKLOAD_RESOURCES.map(([g, r]) => rule(g, r, READ));

const aggregateToEdit: PolicyRule[] = [
  rule([''], ['pods', 'services', 'endpoints', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'events'], WRITE),
  rule([''], ['secrets'], READ),
  rule([''], ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'pods/eviction', 'serviceaccounts/token'], ['create', 'get']),
  rule(['apps'], ['deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale', 'daemonsets', 'statefulsets'], WRITE),
  rule(['batch'], ['jobs', 'cronjobs'], WRITE),
  rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
  rule(['discovery.k8s.io'], ['endpointslices'], WRITE),
  rule(['coordination.k8s.io'], ['leases'], [...READ, ...WRITE]),
];

const aggregateToAdmin: PolicyRule[] = [
  rule([RBAC_GROUP], ['roles', 'rolebindings'], [...READ, ...WRITE, 'bind', 'escalate']),
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
];

const AGGREGATE_LABEL = (to: string) => `rbac.authorization.k8s.io/aggregate-to-${to}`;

/**
 * view, edit and admin as Kubernetes builds them: each aggregates the ClusterRoles labelled
 * aggregate-to-<it> (edit is labelled to admin, view to edit), filled in by the
 * controller-manager's clusterrole-aggregation controller. They start out with the union
 * already written, so a control plane without a controller-manager has them too.
 */
interface Aggregated {
  rules: PolicyRule[];
  /** the aggregate-to-* label this role carries */
  into?: string;
  /** the aggregate-to-* label this role collects */
  collects?: string;
}

const AGGREGATED_ROLES: Record<string, Aggregated> = {
  'system:aggregate-to-view': { rules: aggregateToView, into: 'view' },
  'system:aggregate-to-edit': { rules: aggregateToEdit, into: 'edit' },
  'system:aggregate-to-admin': { rules: aggregateToAdmin, into: 'admin' },
  view: { rules: aggregateToView, into: 'edit', collects: 'view' },
  // in the controller's order: the collected roles by name (system:aggregate-to-edit < view; edit < system:aggregate-to-admin)
  edit: { rules: [...aggregateToEdit, ...aggregateToView], into: 'admin', collects: 'edit' },
  admin: { rules: [...aggregateToEdit, ...aggregateToView, ...aggregateToAdmin], collects: 'admin' },
};

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];

/** Reads of everything: what a component that watches the cluster needs. */
const readAll = rule(['*'], ['*'], READ);
const events = [rule([''], ['events'], ['create', 'patch', 'update']), rule(['events.k8s.io'], ['events'], ['create', 'patch', 'update'])];
const leases = rule(['coordination.k8s.io'], ['leases'], ['create', 'get', 'update', 'patch']);

const COMPONENT_ROLES: Record<string, PolicyRule[]> = {
  'system:kube-scheduler': [
    readAll,
    rule([''], ['pods/binding', 'bindings'], ['create']),
    rule([''], ['pods/status'], ['patch', 'update']),
    rule([''], ['pods'], ['delete']),
    ...events,
    leases,
  ],
  'system:kube-controller-manager': [rule(['*'], ['*'], ALL)],
  'system:node': [
    readAll,
    rule([''], ['nodes', 'nodes/status'], ['create', 'update', 'patch', 'delete']),
    rule([''], ['pods'], ['create', 'delete']),
    rule([''], ['pods/status'], ['patch', 'update']),
    rule([''], ['pods/eviction', 'serviceaccounts/token'], ['create']),
    rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
    rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
    ...events,
    leases,
  ],
  'system:node-proxier': [
    rule([''], ['services', 'endpoints', 'nodes'], READ),
    rule(['discovery.k8s.io'], ['endpointslices'], READ),
    // mk8s' kube-proxy also serves the cluster DNS and publishes its kube-dns Service and Endpoints
    rule([''], ['services', 'endpoints'], ['create']),
    { ...rule([''], ['services', 'endpoints'], ['update', 'patch']), resourceNames: ['kube-dns'] },
    ...events,
  ],
};

/** What the apiserver may ask of kubelets (logs, exec, attach, port-forward, stats), Kubernetes' system:kubelet-api-admin. */
const KUBELET_API_ADMIN: PolicyRule[] = [rule([''], ['nodes'], ['get', 'list', 'watch', 'proxy']), rule([''], ['nodes/proxy', 'nodes/log', 'nodes/stats', 'nodes/metrics', 'nodes/spec'], ALL)];

const CLUSTER_ROLES: Record<string, PolicyRule[]> = {
  'cluster-admin': [rule(['*'], ['*'], ALL), urls(['*'], ALL)],
  'system:discovery': [urls(DISCOVERY_URLS, ['get'])],
  'system:public-info-viewer': [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])],
  // Prometheus scrapers: tokens in the system:monitoring group may read /metrics
  'system:monitoring': [urls(['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'], ['get'])],
  'system:basic-user': [
    rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
    rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
  ],
  ...COMPONENT_ROLES,
  'system:kubelet-api-admin': KUBELET_API_ADMIN,
};

const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });

/** Binding name -> [cluster role, subjects]. Components are bound by the group in their token (and by Kubernetes' user name). */
const CLUSTER_ROLE_BINDINGS: Record<string, [string, Subject[]]> = {
  'cluster-admin': ['cluster-admin', [group('system:masters')]],
  'system:discovery': ['system:discovery', [group('system:authenticated')]],
  'system:basic-user': ['system:basic-user', [group('system:authenticated')]],
  'system:public-info-viewer': ['system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]],
  'system:monitoring': ['system:monitoring', [group('system:monitoring')]],
  'system:kube-scheduler': ['system:kube-scheduler', [group('system:kube-scheduler'), user('system:kube-scheduler')]],
  'system:kube-controller-manager': ['system:kube-controller-manager', [group('system:kube-controller-manager'), user('system:kube-controller-manager')]],
  'system:node': ['system:node', [group('system:nodes')]],
  'system:node-proxier': ['system:node-proxier', [group('system:kube-proxy'), user('system:kube-proxy')]],
  // the identity the apiserver presents to kubelets (--kubelet-token-file, deploy/pki.sh's kube-apiserver token)
  'system:kube-apiserver': ['system:kubelet-api-admin', [group('system:kube-apiserver'), user('kube-apiserver')]],
};

const BOOTSTRAP_META = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

export function bootstrapClusterRoles(): ClusterRole[] {
  const plain = Object.entries(CLUSTER_ROLES).map(([name, rules]) => ({
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name, ...structuredClone(BOOTSTRAP_META) },
    rules: structuredClone(rules),
  }));
  const aggregated = Object.entries(AGGREGATED_ROLES).map(([name, a]): ClusterRole => {
    const meta = structuredClone(BOOTSTRAP_META);
    if (a.into) Object.assign(meta.labels, { [AGGREGATE_LABEL(a.into)]: 'true' });
    return {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'ClusterRole',
      metadata: { name, ...meta },
      ...(a.collects ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_LABEL(a.collects)]: 'true' } }] } } : {}),
      rules: structuredClone(a.rules),
    };
  });
  return [...plain, ...aggregated];
}

export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return Object.entries(CLUSTER_ROLE_BINDINGS).map(([name, [role, subjects]]) => ({
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, ...structuredClone(BOOTSTRAP_META) },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects: structuredClone(subjects),
  }));
}
