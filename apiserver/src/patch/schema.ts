/**
 * Strategic-merge-patch metadata for the built-in kinds: which lists merge (and by which key),
 * which are atomic, which maps are structs. Read from GO_TYPES, the table generated from the
 * Kubernetes Go struct tags (patchStrategy / patchMergeKey), so it matches kube-apiserver.
 * A `PatchSchema` is a node in that type graph; `undefined` means "no schema" (plain JSON:
 * maps merge, lists are replaced).
 */
import { GO_TYPES, type GoField } from '../protobuf/types.generated.js';

export type PatchSchema = string | undefined;

export interface FieldPatchMeta {
  /** struct type of the field (or of its list items); undefined for scalars and string maps */
  schema: PatchSchema;
  /** 'merge' | 'replace' | '' */
  strategy: string;
  retainKeys: boolean;
  mergeKey: string;
}

/** Kind -> root type, for the kinds the apiserver serves (HPA at its storage version v2). */
export const KIND_TYPES: Record<string, string> = {
  Namespace: 'core/v1.Namespace',
  Pod: 'core/v1.Pod',
  Service: 'core/v1.Service',
  ConfigMap: 'core/v1.ConfigMap',
  Secret: 'core/v1.Secret',
  ReplicationController: 'core/v1.ReplicationController',
  PersistentVolume: 'core/v1.PersistentVolume',
  PersistentVolumeClaim: 'core/v1.PersistentVolumeClaim',
  Node: 'core/v1.Node',
  Endpoints: 'core/v1.Endpoints',
  Event: 'core/v1.Event',
  Binding: 'core/v1.Binding',
  ServiceAccount: 'core/v1.ServiceAccount',
  Deployment: 'apps/v1.Deployment',
  ReplicaSet: 'apps/v1.ReplicaSet',
  StatefulSet: 'apps/v1.StatefulSet',
  DaemonSet: 'apps/v1.DaemonSet',
  Job: 'batch/v1.Job',
  CronJob: 'batch/v1.CronJob',
  Lease: 'coordination/v1.Lease',
  // no generated Go types: every field merges as plain JSON, so the atomic endpoints/ports lists are replaced, as in Kubernetes
  EndpointSlice: 'discovery/v1.EndpointSlice',
  HorizontalPodAutoscaler: 'autoscaling/v2.HorizontalPodAutoscaler',
  Scale: 'autoscaling/v1.Scale',
  PriorityClass: 'scheduling/v1.PriorityClass',
  StorageClass: 'storage/v1.StorageClass',
  // rules, subjects and roleRef carry no patch strategy: lists are replaced, as in Kubernetes
  Role: 'rbac/v1.Role',
  RoleBinding: 'rbac/v1.RoleBinding',
  ClusterRole: 'rbac/v1.ClusterRole',
  ClusterRoleBinding: 'rbac/v1.ClusterRoleBinding',
};

const NONE: FieldPatchMeta = { schema: undefined, strategy: '', retainKeys: false, mergeKey: '' };
const cache = new Map<string, Map<string, FieldPatchMeta>>();

function fieldsOf(type: string): Map<string, FieldPatchMeta> {
  let m = cache.get(type);
  if (m) return m;
  m = new Map();
  collect(type, m, 0);
  cache.set(type, m);
  return m;
}

function collect(type: string, into: Map<string, FieldPatchMeta>, depth: number): void {
  const fields: GoField[] = GO_TYPES[type] ?? [];
  for (const f of fields) {
    if (f.n === '') {
      if (depth < 5) collect(f.t, into, depth + 1); // inlined embedded struct
      continue;
    }
    const strategies = (f.ps ?? '').split(',').filter(Boolean);
    into.set(f.n, {
      // a map of structs (ResourceList of quantities has no struct) keeps no schema for its values
      schema: GO_TYPES[f.t] && !f.m ? f.t : undefined,
      strategy: strategies.find((s) => s !== 'retainKeys') ?? '',
      retainKeys: strategies.includes('retainKeys'),
      mergeKey: f.mk ?? '',
    });
  }
}

export function schemaForKind(kind: string): PatchSchema {
  return KIND_TYPES[kind];
}

/** Patch metadata of field `key` of a struct; NONE for unknown fields or schema-less values. */
export function lookupField(schema: PatchSchema, key: string): FieldPatchMeta {
  if (!schema) return NONE;
  return fieldsOf(schema).get(key) ?? NONE;
}
