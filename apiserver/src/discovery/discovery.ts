/**
 * Discovery documents, as pure builders over the served resources:
 * - legacy: `APIVersions` (/api), `APIGroupList` (/apis), `APIGroup` (/apis/<g>),
 *   `APIResourceList` (/api/v1, /apis/<g>/<v>), subresources as `<plural>/<sub>` entries;
 * - aggregated: `APIGroupDiscoveryList` (apidiscovery.k8s.io v2 or v2beta1) for /api or /apis.
 * Callers pass the full served list (see `servedResources`); nothing here reads the network.
 */
import {
  describeResource,
  groupVersionsOf,
  gvString,
  resourcesIn,
  type DiscoveryResource,
  type GroupVersion,
  type GroupVersionKind,
} from './api-resources.js';

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: { clientCIDR: string; serverAddress: string }[];
}

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

export function apiVersions(serverAddress: string): APIVersions {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroupOf(group: string, versions: GroupVersion[]): APIGroup {
  const list = versions.map((gv) => ({ groupVersion: gvString(gv), version: gv.version }));
  // `list` is never empty: a group exists only because some resource names it.
  return { name: group, versions: list, preferredVersion: list[0] as GroupVersionForDiscovery };
}

/** Named groups (not the core group), each with its versions, in discovery order. */
function namedGroups(resources: DiscoveryResource[]): APIGroup[] {
  const byGroup = new Map<string, GroupVersion[]>();
  for (const gv of groupVersionsOf(resources)) {
    if (!gv.group) continue;
    byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv]);
  }
  return [...byGroup].map(([group, gvs]) => apiGroupOf(group, gvs));
}

export function apiGroupList(resources: DiscoveryResource[]): APIGroupList {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: namedGroups(resources) };
}

export function apiGroup(group: string, resources: DiscoveryResource[]): APIGroup | undefined {
  const g = namedGroups(resources).find((x) => x.name === group);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...g };
}

/** Group/version fields only when they differ from the list's own group-version. */
function kindFields(listGv: GroupVersion, k: GroupVersionKind): Pick<APIResource, 'group' | 'version' | 'kind'> {
  return k.group === listGv.group && k.version === listGv.version ? { kind: k.kind } : { group: k.group, version: k.version, kind: k.kind };
}

export function apiResourceList(group: string, version: string, resources: DiscoveryResource[]): APIResourceList {
  const gv = { group, version };
  const out: APIResource[] = [];
  for (const r of resourcesIn(resources, group, version)) {
    const info = describeResource(r);
    const entry: APIResource = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: info.verbs };
    if (r.shortNames?.length) entry.shortNames = r.shortNames;
    if (r.categories?.length) entry.categories = r.categories;
    out.push(entry);
    for (const s of info.subresources) {
      out.push({ name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, ...kindFields(gv, s.responseKind), verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gvString(gv), resources: out };
}

// ---- aggregated discovery (apidiscovery.k8s.io) ----

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current';
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: 'apidiscovery.k8s.io/v2' | 'apidiscovery.k8s.io/v2beta1';
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

function resourceDiscovery(r: DiscoveryResource): APIResourceDiscovery {
  const info = describeResource(r);
  const out: APIResourceDiscovery = {
    resource: r.plural,
    responseKind: info.responseKind,
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: info.verbs,
  };
  if (r.shortNames?.length) out.shortNames = r.shortNames;
  if (r.categories?.length) out.categories = r.categories;
  if (info.subresources.length) {
    out.subresources = info.subresources.map((s) => ({ subresource: s.name, responseKind: s.responseKind, verbs: s.verbs }));
  }
  return out;
}

/**
 * The aggregated document for `/api` ('legacy': the core group only) or `/apis` (every
 * named group). Each version is marked fresh: everything is served in-process.
 */
export function aggregatedDiscovery(resources: DiscoveryResource[], which: 'legacy' | 'apis', version: 'v2' | 'v2beta1'): APIGroupDiscoveryList {
  const gvs = groupVersionsOf(resources).filter((gv) => (which === 'legacy' ? gv.group === '' : gv.group !== ''));
  const items: APIGroupDiscovery[] = [];
  for (const gv of gvs) {
    const versionDoc: APIVersionDiscovery = {
      version: gv.version,
      resources: resourcesIn(resources, gv.group, gv.version).map(resourceDiscovery),
      freshness: 'Current',
    };
    const existing = items.find((i) => (i.metadata.name ?? '') === gv.group);
    if (existing) existing.versions.push(versionDoc);
    else items.push({ metadata: which === 'legacy' ? { creationTimestamp: null } : { name: gv.group, creationTimestamp: null }, versions: [versionDoc] });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
