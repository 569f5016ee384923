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
import type { KubeObject, StatusCause } from '@mk8s/shared';
import * as d from '../defaults/index.js';
import type { FieldCause } from './causes.js';
import { nonNegative } from './causes.js';
import { validateHorizontalPodAutoscaler } from './autoscaling.js';
import * as misc from './misc.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './pod.js';
import { validateEndpoints, validateService, validateServiceUpdate } from './service.js';
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

/** Builds a strategy from typed functions; the registry hands over untyped decoded JSON. */
function strategy<T extends KubeObject>(s: {
  default?: (obj: T) => void;
  validate?: (obj: T) => FieldCause[];
  validateUpdate?: (obj: T, old: T) => FieldCause[];
  validateStatusUpdate?: (obj: T, old: T) => FieldCause[];
}): Strategy {
  const out: Strategy = {};
  if (s.default) out.default = s.default as (obj: KubeObject) => void;
  if (s.validate) out.validate = s.validate as (obj: KubeObject) => StatusCause[];
  const validate = s.validate;
  if (s.validateUpdate) out.validateUpdate = s.validateUpdate as (obj: KubeObject, old: KubeObject) => StatusCause[];
  else if (validate) out.validateUpdate = (obj: KubeObject) => validate(obj as T);
  out.validateStatusUpdate = (s.validateStatusUpdate ?? (() => [])) as (obj: KubeObject, old: KubeObject) => StatusCause[];
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
  Namespace: strategy({
    default: d.defaultNamespace,
    validate: misc.validateNamespace,
    validateStatusUpdate: misc.validateNamespaceStatusUpdate,
  }),
  Pod: strategy({
    default: d.defaultPod,
    validate: validatePod,
    validateUpdate: validatePodUpdate,
    validateStatusUpdate: validatePodStatusUpdate,
  }),
  Node: strategy({
    validate: misc.validateNode,
    validateUpdate: misc.validateNodeUpdate,
    validateStatusUpdate: misc.validateNodeStatusUpdate,
  }),
  Service: strategy({ default: d.defaultService, validate: validateService, validateUpdate: validateServiceUpdate }),
  Endpoints: strategy({ default: d.defaultEndpoints, validate: validateEndpoints }),
  Event: strategy({ validate: misc.validateEvent }),
  ConfigMap: strategy({ validate: misc.validateConfigMap, validateUpdate: misc.validateConfigMapUpdate }),
  Secret: strategy({ default: d.defaultSecret, validate: misc.validateSecret, validateUpdate: misc.validateSecretUpdate }),
  ReplicationController: strategy({
    default: d.defaultReplicationController,
    validate: w.validateReplicationController,
    validateStatusUpdate: validateReplicaStatus,
  }),
  ReplicaSet: strategy({
    default: d.defaultReplicaSet,
    validate: w.validateReplicaSet,
    validateUpdate: w.validateReplicaSetUpdate,
    validateStatusUpdate: validateReplicaStatus,
  }),
  Deployment: strategy({
    default: d.defaultDeployment,
    validate: w.validateDeployment,
    validateUpdate: w.validateDeploymentUpdate,
    validateStatusUpdate: validateReplicaStatus,
  }),
  Scale: strategy({ validate: w.validateScale }),
  PersistentVolume: strategy({
    default: d.defaultPersistentVolume,
    validate: storage.validatePersistentVolume,
    validateUpdate: storage.validatePersistentVolumeUpdate,
  }),
  PersistentVolumeClaim: strategy({
    default: d.defaultPersistentVolumeClaim,
    validate: storage.validatePersistentVolumeClaim,
    validateUpdate: storage.validatePersistentVolumeClaimUpdate,
  }),
  Lease: strategy({ validate: misc.validateLease }),
  HorizontalPodAutoscaler: strategy({ default: d.defaultHorizontalPodAutoscaler, validate: validateHorizontalPodAutoscaler }),
  StorageClass: strategy({
    default: d.defaultStorageClass,
    validate: storage.validateStorageClass,
    validateUpdate: storage.validateStorageClassUpdate,
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
