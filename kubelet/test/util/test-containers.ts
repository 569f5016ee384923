/**
 * Test helper: create busybox containers carrying the kubelet's labels for a unique test node,
 * so tests can exercise the server and probes against real Docker without a pod worker.
 * `removeNodeContainers` cleans every container of that node.
 */
import type Docker from 'dockerode';
import {
  LABEL_CONTAINER_NAME,
  LABEL_DOCKER_TYPE,
  LABEL_NODE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_RESTART_COUNT,
  DOCKER_TYPE_CONTAINER,
  DOCKER_TYPE_SANDBOX,
} from '../../src/runtime/labels.js';
import { BUSYBOX_IMAGE } from './busybox-image.js';

export interface TestContainerSpec {
  node: string;
  namespace?: string;
  pod: string;
  podUid?: string;
  container: string;
  restartCount?: number;
  cmd: string[];
  tty?: boolean;
  openStdin?: boolean;
  stdinOnce?: boolean;
  /** a pod sandbox (docker type podsandbox, container name POD) instead of an app container */
  sandbox?: boolean;
  start?: boolean;
}

export const uniqueNode = (prefix: string): string =>
  `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

export async function createTestContainer(docker: Docker, spec: TestContainerSpec): Promise<Docker.Container> {
  const c = await docker.createContainer({
    Image: BUSYBOX_IMAGE,
    Cmd: spec.cmd,
    Tty: spec.tty ?? false,
    OpenStdin: spec.openStdin ?? false,
    StdinOnce: spec.stdinOnce ?? false,
    AttachStdin: spec.openStdin ?? false,
    Labels: {
      [LABEL_NODE]: spec.node,
      [LABEL_POD_NAMESPACE]: spec.namespace ?? 'default',
      [LABEL_POD_NAME]: spec.pod,
      [LABEL_POD_UID]: spec.podUid ?? `uid-${spec.pod}`,
      [LABEL_CONTAINER_NAME]: spec.container,
      [LABEL_DOCKER_TYPE]: spec.sandbox ? DOCKER_TYPE_SANDBOX : DOCKER_TYPE_CONTAINER,
      [LABEL_RESTART_COUNT]: String(spec.restartCount ?? 0),
    },
  });
  if (spec.start ?? true) await c.start();
  return c;
}

export async function containerIP(docker: Docker, id: string): Promise<string> {
  const info = await docker.getContainer(id).inspect();
  const ip = Object.values(info.NetworkSettings.Networks)[0]?.IPAddress;
  if (!ip) throw new Error(`container ${id} has no IP address`);
  return ip;
}

export async function removeNodeContainers(docker: Docker, node: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_NODE}=${node}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}
