/**
 * Per-kind strategies: defaulting and validation hooks, keyed by `kind`, for the generic
 * registry. Contract:
 * - `default` mutates in place and is idempotent; run it on create and update, before validating.
 * - `validate`, `validateUpdate` and `validateStatusUpdate` check the kind's own fields and
 *   return causes (empty = valid). They do NOT check top-level metadata: the registry calls
 *   `validateObjectMeta(obj.metadata, { namespaced, nameValidator: def.nameRule })` on create and
 *   also `validateObjectMetaUpdate(obj.metadata, old.metadata)` on every update, then merges
 *   the causes and throws `newInvalid(kind, group, name, causes)` when any.
 * - `validateUpdate` includes the create checks plus the kind's immutability rules.
 */
import { newBadRequest, type KubeObject, type StatusCause } from '@mk8s/shared';
import * as d from '../defaults/index.js';
import type { FieldCause } from './causes.js';
import { nonNegative } from './causes.js';
import { validateHorizontalPodAutoscaler } from './autoscaling.js';
import { validateJob, validateJobStatusUpdate, validateJobUpdate } from './batch.js';
import { validateDaemonSet, validateDaemonSetStatusUpdate, validateDaemonSetUpdate } from './daemonset.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './discovery.js';
import * as misc from './misc.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './pod.js';
import * as rbac from './rbac.js';
import { validateEndpoints, validateService, validateServiceUpdate } from './service.js';
import { validateServiceAccount } from './serviceaccount.js';
import * as storage from './storage.js';
import * as w from './workloads.js';

export interface Strategy {
  /** fill defaults in place (on create and update, before validation) */
  default?(obj: KubeObject): void;
  /** create */
  validate?(obj: KubeObject): StatusCause[];
  /** update: the create checks plus immutability */
  validateUpdate?(obj: KubeObject, old: KubeObject): StatusCause[];
  /** writes through the status subresource */
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): StatusCause[];
}

/**
 * Validators check shapes as they go, but decoded JSON can still hold a number where a string
 * belongs in some corner they do not guard. Such a body is refused as a 400 (as Kubernetes'
 * decoder would) instead of surfacing as a 500.
 */
function guarded<A extends unknown[], R>(kind: string, fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (err) {
      if (err instanceof TypeError) throw newBadRequest(`malformed ${kind}: ${err.message}`);
      throw err;
    }
  };
}

/** Builds a strategy from typed functions; the registry hands over untyped decoded JSON. */
function strategy<T extends KubeObject>(
  kind: string,
  s: {
    default?: (obj: T) => void;
    validate?: (obj: T) => FieldCause[];
    validateUpdate?: (obj: T, old: T) => FieldCause[];
    validateStatusUpdate?: (obj: T, old: T) => FieldCause[];
  },
): Strategy {
  type Obj = (obj: KubeObject) => void;
  type One = (obj: KubeObject) => StatusCause[];
  type Two = (obj: KubeObject, old: KubeObject) => StatusCause[];
  const out: Strategy = {};
  if (s.default) out.default = guarded(kind, s.default as Obj);
  const validate = s.validate;
  if (validate) out.validate = guarded(kind, validate as One);
  if (s.validateUpdate) out.validateUpdate = guarded(kind, s.validateUpdate as Two);
  else if (validate) out.validateUpdate = guarded(kind, (obj: KubeObject) => validate(obj as T));
  out.validateStatusUpdate = guarded(kind, (s.validateStatusUpdate ?? (() => [])) as Two);
  return out;
}

interface ReplicaStatus { status?: Record<string, unknown> }

/** Replica counters in a workload status may not be negative. */
function validateReplicaStatus(obj: ReplicaStatus): FieldCause[] {
  const status = obj.status ?? {};
  return ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'updatedReplicas', 'unavailableReplicas', 'observedGeneration'].flatMap(
    (f) => nonNegative(`status.${f}`, status[f]),
  );
}

export const strategies: Record<string, Strategy> = {
  Namespace: strategy('Namespace', {
    default: d.defaultNamespace,
    validate: misc.validateNamespace,
    validateStatusUpdate: misc.validateNamespaceStatusUpdate,
  }),
  Pod: strategy('Pod', {
    default: d.defaultPod,
    validate: validatePod,
    validateUpdate: validatePodUpdate,
    validateStatusUpdate: validatePodStatusUpdate,
  }),
  Node: strategy('Node', {
    validate: misc.validateNode,
    validateUpdate: misc.validateNodeUpdate,
    validateStatusUpdate: misc.validateNodeStatusUpdate,
  }),
  Service: strategy('Service', { default: d.defaultService, validate: validateService, validateUpdate: validateServiceUpdate }),
  Endpoints: strategy('Endpoints', { default: d.defaultEndpoints, validate: validateEndpoints }),
  Event: strategy('Event', { validate: misc.validateEvent }),
  ConfigMap: strategy('ConfigMap', { validate: misc.validateConfigMap, validateUpdate: misc.validateConfigMapUpdate }),
  Secret: strategy('Secret', { default: d.defaultSecret, validate: misc.validateSecret, validateUpdate: misc.validateSecretUpdate }),
  ServiceAccount: strategy('ServiceAccount', { validate: validateServiceAccount }),
  ReplicationController: strategy('ReplicationController', {
    default: d.defaultReplicationController,
    validate: w.validateReplicationController,
    validateStatusUpdate: validateReplicaStatus,
  }),
  ReplicaSet: strategy('ReplicaSet', {
    default: d.defaultReplicaSet,
    validate: w.validateReplicaSet,
    validateUpdate: w.validateReplicaSetUpdate,
    validateStatusUpdate: validateReplicaStatus,
  }),
  Deployment: strategy('Deployment', {
    default: d.defaultDeployment,
    validate: w.validateDeployment,
    validateUpdate: w.validateDeploymentUpdate,
    validateStatusUpdate: validateReplicaStatus,
  }),
  DaemonSet: strategy('DaemonSet', {
    default: d.defaultDaemonSet,
    validate: validateDaemonSet,
    validateUpdate: validateDaemonSetUpdate,
    validateStatusUpdate: validateDaemonSetStatusUpdate,
  }),
  Job: strategy('Job', {
    default: d.defaultJob,
    validate: validateJob,
    validateUpdate: validateJobUpdate,
    validateStatusUpdate: validateJobStatusUpdate,
  }),
  Scale: strategy('Scale', { validate: w.validateScale }),
  PersistentVolume: strategy('PersistentVolume', {
    default: d.defaultPersistentVolume,
    validate: storage.validatePersistentVolume,
    validateUpdate: storage.validatePersistentVolumeUpdate,
  }),
  PersistentVolumeClaim: strategy('PersistentVolumeClaim', {
    default: d.defaultPersistentVolumeClaim,
    validate: storage.validatePersistentVolumeClaim,
    validateUpdate: storage.validatePersistentVolumeClaimUpdate,
  }),
  Lease: strategy('Lease', { validate: misc.validateLease }),
  EndpointSlice: strategy('EndpointSlice', { default: d.defaultEndpointSlice, validate: validateEndpointSlice, validateUpdate: validateEndpointSliceUpdate }),
  HorizontalPodAutoscaler: strategy('HorizontalPodAutoscaler', { default: d.defaultHorizontalPodAutoscaler, validate: validateHorizontalPodAutoscaler }),
  StorageClass: strategy('StorageClass', {
    default: d.defaultStorageClass,
    validate: storage.validateStorageClass,
    validateUpdate: storage.validateStorageClassUpdate,
  }),
  Role: strategy('Role', { validate: rbac.validateRole }),
  ClusterRole: strategy('ClusterRole', { validate: rbac.validateClusterRole }),
  RoleBinding: strategy('RoleBinding', { default: d.defaultRoleBinding, validate: rbac.validateRoleBinding, validateUpdate: rbac.validateRoleBindingUpdate }),
  ClusterRoleBinding: strategy('ClusterRoleBinding', {
    default: d.defaultRoleBinding,
    validate: rbac.validateClusterRoleBinding,
    validateUpdate: rbac.validateClusterRoleBindingUpdate,
  }),
};

export { validateObjectMeta, validateObjectMetaUpdate, validateLabels, validateLabelSelector, selectorMatches, isPathSegmentName } from './meta.js';
export type { NameValidator, ObjectMetaOptions } from './meta.js';
export type { FieldCause, CauseReason } from './causes.js';
export { validatePodSpec } from './pod.js';
export { validatePodTemplate } from './workloads.js';
export {
  setDefaultTolerationSeconds,
  carryOverServiceAllocations,
  initialPodStatus,
  podQOSClass,
  defaultPodTemplateSpec as podFromTemplateDefaults,
} from '../defaults/index.js';
