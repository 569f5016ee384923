/**
 * Status (and a few more spec) models for `kubectl explain <kind>.status`, in the notation of
 * openapi-types.ts. Kept apart so each model file stays small.
 */
import type { TypeSpec } from './openapi-types.js';

const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';
const BATCH = 'io.k8s.api.batch.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const conditions = (what: string): [string, string] => [`[]#${META}.Condition`, `Represents the latest available observations of a ${what}'s current state.`];

export const STATUS_TYPES: Record<string, TypeSpec> = {
  [`${META}.Condition`]: {
    description: 'Condition contains details for one aspect of the current state of this API Resource.',
    required: ['type', 'status'],
    fields: {
      type: ['string', 'type of condition in CamelCase or in foo.example.com/CamelCase.'],
      status: ['string', 'status of the condition, one of True, False, Unknown.'],
      reason: ['string', "reason contains a programmatic identifier indicating the reason for the condition's last transition."],
      message: ['string', 'message is a human readable message indicating details about the transition.'],
      lastTransitionTime: ['string', 'lastTransitionTime is the last time the condition transitioned from one status to another.'],
    },
  },
  [`${CORE}.PodStatus`]: {
    description: 'PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.',
    fields: {
      phase: ['string', 'The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle: Pending, Running, Succeeded, Failed or Unknown.'],
      conditions: conditions('pod'),
      message: ['string', 'A human readable message indicating details about why the pod is in this condition.'],
      reason: ['string', "A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'"],
      hostIP: ['string', 'hostIP holds the IP address of the host to which the pod is assigned.'],
      podIP: ['string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'],
      podIPs: ['[]object', 'podIPs holds the IP addresses allocated to the pod.'],
      startTime: ['string', 'RFC 3339 date and time at which the object was acknowledged by the Kubelet.'],
      containerStatuses: [`[]#${CORE}.ContainerStatus`, 'The list has one entry per container in the manifest.'],
      initContainerStatuses: [`[]#${CORE}.ContainerStatus`, 'The list has one entry per init container in the manifest.'],
      qosClass: ['string', 'The Quality of Service (QOS) classification assigned to the pod based on resource requirements.'],
    },
  },
  [`${CORE}.ContainerStatus`]: {
    description: 'ContainerStatus contains details for the current status of this container.',
    required: ['name', 'ready', 'restartCount', 'image', 'imageID'],
    fields: {
      name: ['string', 'Name is a DNS_LABEL representing the unique name of the container.'],
      state: ['object', 'State holds details about the container\'s current condition.'],
      lastState: ['object', "LastTerminationState holds the last termination state of the container to help debug container crashes and restarts."],
      ready: ['boolean', 'Ready specifies whether the container is currently passing its readiness check.'],
      restartCount: ['integer', 'RestartCount holds the number of times the container has been restarted.'],
      image: ['string', 'Image is the name of container image that the container is running.'],
      imageID: ['string', "ImageID is the image ID of the container's image."],
      containerID: ['string', "ContainerID is the ID of the container in the format '<type>://<container_id>'."],
      started: ['boolean', 'Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe.'],
    },
  },
  [`${APPS}.DeploymentStatus`]: {
    description: 'DeploymentStatus is the most recently observed status of the Deployment.',
    fields: {
      observedGeneration: ['integer', 'The generation observed by the deployment controller.'],
      replicas: ['integer', 'Total number of non-terminated pods targeted by this deployment (their labels match the selector).'],
      updatedReplicas: ['integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'],
      readyReplicas: ['integer', 'readyReplicas is the number of pods targeted by this Deployment with a Ready Condition.'],
      availableReplicas: ['integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'],
      unavailableReplicas: ['integer', 'Total number of unavailable pods targeted by this deployment.'],
      conditions: conditions('deployment'),
      collisionCount: ['integer', 'Count of hash collisions for the Deployment.'],
    },
  },
  [`${APPS}.ReplicaSetStatus`]: {
    description: 'ReplicaSetStatus represents the current status of a ReplicaSet.',
    required: ['replicas'],
    fields: {
      replicas: ['integer', 'Replicas is the most recently observed number of replicas.'],
      fullyLabeledReplicas: ['integer', 'The number of pods that have labels matching the labels of the pod template of the replicaset.'],
      readyReplicas: ['integer', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.'],
      availableReplicas: ['integer', 'The number of available replicas (ready for at least minReadySeconds) for this replica set.'],
      observedGeneration: ['integer', 'ObservedGeneration reflects the generation of the most recently observed ReplicaSet.'],
      conditions: conditions('replica set'),
    },
  },
  [`${BATCH}.JobStatus`]: {
    description: 'JobStatus represents the current state of a Job.',
    fields: {
      conditions: ['[]object', 'The latest available observations of an object\'s current state. When a Job fails, one of the conditions will have type "Failed" and status true. When a Job is suspended, one of the conditions will have type "Suspended" and status true; when the Job is resumed, the status of this condition will become false. When a Job is completed, one of the conditions will have type "Complete" and status true.'],
      startTime: ['string', 'Represents time when the job controller started processing a job.'],
      completionTime: ['string', 'Represents time when the job was completed. It is only set when the job finishes successfully.'],
      active: ['integer', 'The number of pending and running pods which are not terminating (without a deletionTimestamp).'],
      succeeded: ['integer', 'The number of pods which reached phase Succeeded.'],
      failed: ['integer', 'The number of pods which reached phase Failed.'],
      terminating: ['integer', 'The number of pods which are terminating (in phase Pending or Running and have a deletionTimestamp).'],
      ready: ['integer', 'The number of active pods which have a Ready condition and are not terminating (without a deletionTimestamp).'],
      uncountedTerminatedPods: ['object', 'uncountedTerminatedPods holds the UIDs of Pods that have terminated but the job controller hasn\'t yet accounted for in the status counters.'],
    },
  },
  [`${CORE}.NodeSpec`]: {
    description: 'NodeSpec describes the attributes that a node is created with.',
    fields: {
      podCIDR: ['string', 'PodCIDR represents the pod IP range assigned to the node.'],
      podCIDRs: ['[]string', 'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node.'],
      unschedulable: ['boolean', 'Unschedulable controls node schedulability of new pods. By default, node is schedulable.'],
      taints: ['[]object', "If specified, the node's taints."],
      providerID: ['string', 'ID of the node assigned by the cloud provider.'],
    },
  },
  [`${CORE}.NodeStatus`]: {
    description: 'NodeStatus is information about the current status of a node.',
    fields: {
      capacity: ['map:quantity', 'Capacity represents the total resources of a node.'],
      allocatable: ['map:quantity', 'Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.'],
      conditions: ['[]object', 'Conditions is an array of current observed node conditions.'],
      addresses: ['[]object', 'List of addresses reachable to the node.'],
      daemonEndpoints: ['object', 'Endpoints of daemons running on the Node.'],
      nodeInfo: ['object', 'Set of ids/uuids to uniquely identify the node.'],
      images: ['[]object', 'List of container images on this node'],
    },
  },
};

/** Which kinds use these models for spec/status (the rest keep free-form objects). */
export const KIND_MODELS: Record<string, { spec?: string; status?: string }> = {
  Pod: { status: `${CORE}.PodStatus` },
  Deployment: { status: `${APPS}.DeploymentStatus` },
  ReplicaSet: { status: `${APPS}.ReplicaSetStatus` },
  Job: { status: `${BATCH}.JobStatus` },
  DaemonSet: { spec: `${APPS}.DaemonSetSpec`, status: `${APPS}.DaemonSetStatus` },
  Node: { spec: `${CORE}.NodeSpec`, status: `${CORE}.NodeStatus` },
  TokenRequest: { spec: 'io.k8s.api.authentication.v1.TokenRequestSpec', status: 'io.k8s.api.authentication.v1.TokenRequestStatus' },
};
