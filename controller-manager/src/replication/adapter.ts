/**
 * The one place ReplicaSet (apps/v1) and ReplicationController (core/v1) differ for the
 * replication controller: resource type, apiVersion/kind for ownerReferences, and how the
 * selector is read (a LabelSelector vs a plain map). Everything else is shared. An empty or
 * invalid selector selects nothing: a controller must never claim every pod in a namespace.
 */
import {
  nothingSelector,
  RESOURCES,
  selectorFromLabelSelector,
  selectorFromSet,
  type Condition,
  type KubeObject,
  type PodTemplateSpec,
  type ReplicaSet,
  type ReplicationController,
  type ResourceType,
  type Selector,
} from '@mk8s/shared';

export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

/** The fields of a ReplicaSet or ReplicationController this controller reads and writes. */
export interface ReplicaOwner extends KubeObject {
  spec: { replicas?: number; minReadySeconds?: number; template?: PodTemplateSpec };
  status?: ReplicaStatus;
}

export interface KindAdapter {
  /** controller name for --controllers and logs */
  name: string;
  type: ResourceType;
  apiVersion: string;
  kind: string;
  selector(owner: ReplicaOwner): Selector;
}

const guarded = (make: () => Selector): Selector => {
  try {
    const s = make();
    return s.empty() ? nothingSelector() : s;
  } catch {
    return nothingSelector();
  }
};

export const replicaSetAdapter: KindAdapter = {
  name: 'replicaset',
  type: RESOURCES.replicasets,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selector: (o) => guarded(() => selectorFromLabelSelector((o as ReplicaSet).spec.selector)),
};

export const replicationControllerAdapter: KindAdapter = {
  name: 'replicationcontroller',
  type: RESOURCES.replicationcontrollers,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selector: (o) => guarded(() => selectorFromSet((o as ReplicationController).spec.selector ?? {})),
};
