/**
 * Finding a pod's containers on this node by Docker labels. Only containers labelled with this
 * node's name are ever considered (several kubelets may share one Docker daemon). A pod is known
 * when any of its containers (sandbox included) exists; app containers are ordered newest running
 * first: running before stopped, then by restart count, then by creation time. The "previous"
 * instance is the newest stopped container of the same pod UID with a lower restart count than
 * the current one. Port forwarding dials the pod IP of the pod's running sandbox.
 */
import type Docker from 'dockerode';
import {
  DOCKER_TYPE_CONTAINER,
  DOCKER_TYPE_SANDBOX,
  LABEL_POD_IP,
  LABEL_CONTAINER_NAME,
  LABEL_DOCKER_TYPE,
  LABEL_NODE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_RESTART_COUNT,
} from '../runtime/labels.js';

export interface ContainerRef {
  id: string;
  name: string;
  podUid: string;
  running: boolean;
  restartCount: number;
  /** creation time, seconds since epoch */
  created: number;
}

export interface PodContainers {
  podExists: boolean;
  /** app containers with the requested name, newest running first */
  containers: ContainerRef[];
}

export function toContainerRef(info: Docker.ContainerInfo): ContainerRef {
  const labels = info.Labels ?? {};
  const restarts = Number(labels[LABEL_RESTART_COUNT] ?? '0');
  return {
    id: info.Id,
    name: labels[LABEL_CONTAINER_NAME] ?? '',
    podUid: labels[LABEL_POD_UID] ?? '',
    running: info.State === 'running',
    restartCount: Number.isFinite(restarts) ? restarts : 0,
    created: info.Created,
  };
}

export function byNewestRunningFirst(a: ContainerRef, b: ContainerRef): number {
  if (a.running !== b.running) return a.running ? -1 : 1;
  if (a.restartCount !== b.restartCount) return b.restartCount - a.restartCount;
  return b.created - a.created;
}

/** The previous instance of `containers[0]` (see module comment), if any. */
export function previousInstance(containers: ContainerRef[]): ContainerRef | undefined {
  const current = containers[0];
  if (!current) return undefined;
  return containers
    .filter((c) => c !== current && !c.running && c.podUid === current.podUid && c.restartCount < current.restartCount)
    .sort(byNewestRunningFirst)[0];
}

export async function findPodContainers(
  docker: Docker,
  node: string,
  namespace: string,
  pod: string,
  container: string,
  podUid?: string,
): Promise<PodContainers> {
  const label = [`${LABEL_NODE}=${node}`, `${LABEL_POD_NAMESPACE}=${namespace}`, `${LABEL_POD_NAME}=${pod}`];
  if (podUid) label.push(`${LABEL_POD_UID}=${podUid}`);
  const all = await docker.listContainers({ all: true, filters: { label } });
  const containers = all
    .filter((c) => c.Labels?.[LABEL_DOCKER_TYPE] === DOCKER_TYPE_CONTAINER && c.Labels?.[LABEL_CONTAINER_NAME] === container)
    .map(toContainerRef)
    .sort(byNewestRunningFirst);
  return { podExists: all.length > 0, containers };
}

/** The IP of a pod's running sandbox on this node (its `mk8s.pod.ip` label, else its network IP). */
export async function findPodIP(
  docker: Docker,
  node: string,
  namespace: string,
  pod: string,
  podUid?: string,
): Promise<{ podExists: boolean; ip: string | undefined }> {
  const label = [`${LABEL_NODE}=${node}`, `${LABEL_POD_NAMESPACE}=${namespace}`, `${LABEL_POD_NAME}=${pod}`];
  if (podUid) label.push(`${LABEL_POD_UID}=${podUid}`);
  const all = await docker.listContainers({ all: true, filters: { label } });
  const sandbox = all
    .filter((c) => c.Labels?.[LABEL_DOCKER_TYPE] === DOCKER_TYPE_SANDBOX && c.State === 'running')
    .sort((a, b) => b.Created - a.Created)[0];
  if (!sandbox) return { podExists: all.length > 0, ip: undefined };
  const fromNetwork = Object.values(sandbox.NetworkSettings?.Networks ?? {}).map((n) => n.IPAddress).find(Boolean);
  return { podExists: true, ip: sandbox.Labels?.[LABEL_POD_IP] || fromNetwork || undefined };
}
