/**
 * What discovery says about each served resource: verbs, subresources (with the kind each
 * one answers with) and the extra group-versions the lead serves outside the resource table
 * (metrics.k8s.io, authentication.k8s.io). Pure data and lookups; discovery.ts and
 * openapi.ts build their documents from `describeResources`.
 */
import type { ResourceType } from '@mk8s/shared';

/** A resource row, optionally with its own verbs (default: the full CRUD+watch set). */
export interface DiscoveryResource extends ResourceType {
  verbs?: string[];
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceInfo {
  name: string; // 'status', 'scale', ...
  verbs: string[];
  /** The kind the subresource reads and writes. */
  responseKind: GroupVersionKind;
}

export interface ResourceInfo {
  resource: DiscoveryResource;
  verbs: string[];
  responseKind: GroupVersionKind;
  subresources: SubresourceInfo[];
}

export const RESOURCE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Served by the lead next to the resource table; advertised so `kubectl top` and token reviews work. */
export const EXTRA_RESOURCES: DiscoveryResource[] = [
  { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', plural: 'tokenreviews', singular: 'tokenreview', namespaced: false, verbs: ['create'] },
  { group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', singular: 'selfsubjectreview', namespaced: false, verbs: ['create'] },
  { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true, verbs: ['get', 'list'] },
  { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics', plural: 'nodes', singular: '', namespaced: false, verbs: ['get', 'list'] },
];

function subresourceInfo(parent: GroupVersionKind, name: string): SubresourceInfo | undefined {
  const core = (kind: string): GroupVersionKind => ({ group: '', version: 'v1', kind });
  switch (name) {
    case 'status':
      return { name, verbs: ['get', 'patch', 'update'], responseKind: parent };
    case 'scale':
      return { name, verbs: ['get', 'patch', 'update'], responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } };
    case 'binding':
      return { name, verbs: ['create'], responseKind: core('Binding') };
    case 'log':
      return { name, verbs: ['get'], responseKind: core('Pod') };
    case 'exec':
      return { name, verbs: ['create', 'get'], responseKind: core('PodExecOptions') };
    case 'attach':
      return { name, verbs: ['create', 'get'], responseKind: core('PodAttachOptions') };
    case 'portforward':
      return { name, verbs: ['create', 'get'], responseKind: core('PodPortForwardOptions') };
    case 'eviction':
      return { name, verbs: ['create'], responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' } };
    case 'token':
      return { name, verbs: ['create'], responseKind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' } };
    case 'finalize':
      return { name, verbs: ['update'], responseKind: parent };
    default:
      return undefined; // unknown subresources are not advertised
  }
}

export function describeResource(r: DiscoveryResource): ResourceInfo {
  const responseKind = { group: r.group, version: r.version, kind: r.kind };
  const subresources = (r.subresources ?? [])
    .map((s) => subresourceInfo(responseKind, s))
    .filter((s): s is SubresourceInfo => s !== undefined);
  return { resource: r, verbs: r.verbs ?? RESOURCE_VERBS, responseKind, subresources };
}

/** The resource table plus the extras (unless the table already has them), in discovery order. */
export function servedResources(resources: DiscoveryResource[], extras: DiscoveryResource[] = EXTRA_RESOURCES): DiscoveryResource[] {
  const key = (r: DiscoveryResource) => `${r.group}/${r.version}/${r.plural}`;
  const seen = new Set(resources.map(key));
  return [...resources, ...extras.filter((e) => !seen.has(key(e)))];
}

export interface GroupVersion {
  group: string;
  version: string;
}

/** Distinct group-versions in first-appearance order; the core group ('') first. */
export function groupVersionsOf(resources: DiscoveryResource[]): GroupVersion[] {
  const out: GroupVersion[] = [];
  for (const r of resources) {
    if (!out.some((gv) => gv.group === r.group && gv.version === r.version)) out.push({ group: r.group, version: r.version });
  }
  return out.sort((a, b) => Number(a.group !== '') - Number(b.group !== ''));
}

export function resourcesIn(resources: DiscoveryResource[], group: string, version: string): DiscoveryResource[] {
  return resources.filter((r) => r.group === group && r.version === version);
}

export function gvString(gv: GroupVersion): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}
