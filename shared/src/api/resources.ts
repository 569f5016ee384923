/**
 * The kinds mk8s serves, as the client side knows them: group, version, kind, plural and
 * scope. The apiserver builds its resource table (validation, defaults, columns) on top of
 * these rows; clients use them to build URLs. Adding a kind starts with a row here.
 */

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** kubectl's "all" category */
  categories?: string[];
  /** subresources served under /<plural>/<name>/<sub> */
  subresources?: string[];
  listKind?: string;
}

const row = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType => ({ group, version, kind, plural, singular: kind.toLowerCase(), namespaced, ...extra });

export const RESOURCES = {
  namespaces: row('', 'v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'], subresources: ['status', 'finalize'] }),
  pods: row('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'binding', 'log', 'exec', 'attach', 'portforward', 'eviction'],
  }),
  nodes: row('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], subresources: ['status'] }),
  services: row('', 'v1', 'Service', 'services', true, { shortNames: ['svc'], categories: ['all'], subresources: ['status'] }),
  endpoints: row('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  events: row('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  configmaps: row('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  secrets: row('', 'v1', 'Secret', 'secrets', true),
  serviceaccounts: row('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'], subresources: ['token'] }),
  replicationcontrollers: row('', 'v1', 'ReplicationController', 'replicationcontrollers', true, {
    shortNames: ['rc'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  persistentvolumes: row('', 'v1', 'PersistentVolume', 'persistentvolumes', false, { shortNames: ['pv'], subresources: ['status'] }),
  persistentvolumeclaims: row('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, {
    shortNames: ['pvc'],
    subresources: ['status'],
  }),
  replicasets: row('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  deployments: row('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  daemonsets: row('apps', 'v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'], categories: ['all'], subresources: ['status'] }),
  jobs: row('batch', 'v1', 'Job', 'jobs', true, { categories: ['all'], subresources: ['status'] }),
  leases: row('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  endpointslices: row('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  horizontalpodautoscalers: row('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
  }),
  storageclasses: row('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
  roles: row('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  rolebindings: row('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  clusterroles: row('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  clusterrolebindings: row('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
} satisfies Record<string, ResourceType>;

export type ResourceName = keyof typeof RESOURCES;

export const ALL_RESOURCES: ResourceType[] = Object.values(RESOURCES);

export function apiVersionOf(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The URL prefix of a group-version: `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
}

/** The collection or object path of a resource. */
export function resourcePath(r: ResourceType, namespace?: string, name?: string, subresource?: string): string {
  let p = groupVersionPath(r);
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/** Find a resource by plural, singular, kind or short name (case-insensitive), as kubectl does. */
export function findResource(nameOrAlias: string): ResourceType | undefined {
  const [head, ...rest] = nameOrAlias.toLowerCase().split('.');
  const group = rest.join('.');
  return ALL_RESOURCES.find(
    (r) =>
      (group === '' || r.group === group) &&
      (r.plural === head || r.singular === head || r.kind.toLowerCase() === head || r.shortNames?.includes(head ?? '')),
  );
}

/** Find a resource by its apiVersion and kind, as in a manifest. */
export function resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  return ALL_RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}
