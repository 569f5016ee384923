// Docker label names on every container mk8s creates.
//
// Contract (shared with the kubelet server and probes): every container the
// kubelet creates carries these labels, so that a restarted kubelet can rebuild
// its whole state from `docker ps` alone (adoption), and so that several
// kubelets sharing one Docker daemon as different nodes only ever touch
// containers whose `mk8s.node` label equals their own node name.
// The pause (sandbox) container has container name `POD` and docker type
// `podsandbox`; app containers have docker type `container` and record the
// pause container's id in `io.kubernetes.sandbox.id`.

export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const LABEL_DOCKER_TYPE = 'io.kubernetes.docker.type';
export const LABEL_SANDBOX_ID = 'io.kubernetes.sandbox.id';
export const LABEL_NODE = 'mk8s.node';
export const LABEL_CONTAINER_HASH = 'mk8s.container.hash';
export const LABEL_RESTART_COUNT = 'mk8s.container.restartCount';
/** Termination grace period of the pod (seconds) at creation time. */
export const LABEL_TERMINATION_GRACE = 'mk8s.pod.terminationGracePeriod';
/** Pod IP given to the sandbox (pause container) by this node's IPAM. */
export const LABEL_POD_IP = 'mk8s.pod.ip';
/** restartPolicy of the pod, kept so the relist can judge exits without the API. */
export const LABEL_RESTART_POLICY = 'mk8s.pod.restartPolicy';
/** Index of the container in spec.containers (for ordering after adoption). */
export const LABEL_CONTAINER_INDEX = 'mk8s.container.index';
/** Container termination message path (informational). */
export const LABEL_TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';

/** Value of LABEL_CONTAINER_NAME on the pause container. */
export const SANDBOX_CONTAINER_NAME = 'POD';
export const DOCKER_TYPE_SANDBOX = 'podsandbox';
export const DOCKER_TYPE_CONTAINER = 'container';

export type DockerType = typeof DOCKER_TYPE_SANDBOX | typeof DOCKER_TYPE_CONTAINER;

/** Docker `filters` value selecting every container of a node. */
export function nodeFilter(nodeName: string): { label: string[] } {
  return { label: [`${LABEL_NODE}=${nodeName}`] };
}

/** Docker `filters` value selecting every container of one pod on a node. */
export function podFilter(nodeName: string, podUid: string): { label: string[] } {
  return { label: [`${LABEL_NODE}=${nodeName}`, `${LABEL_POD_UID}=${podUid}`] };
}
