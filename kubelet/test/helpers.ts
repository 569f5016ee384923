/**
 * Helpers for the kubelet's end-to-end tests: a kubelet process against the test control
 * plane (small back-offs, free ports, its own root dir and pod CIDR), pod builders using
 * the local busybox image, waits on pod status, and cleanup of a test node's containers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { RESOURCES, type ConfigMap, type Container, type Node, type Pod, type PodSpec, type RestClient } from '@mk8s/shared';
import { spawnComponent, waitFor, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';
import { ensureBusyboxImage } from '../src/images/ensure.js';
import { removeDirWithMounts } from '../src/pod/volumes.js';
import { LABEL_NODE } from '../src/runtime/labels.js';

export const docker = new Docker();
export const BUSYBOX = 'mk8s/busybox:1';

export interface TestKubelet {
  node: string;
  proc: ManagedProcess;
  rootDir: string;
  args: string[];
  /** stops the current `proc`, removes the node's containers and the root dir (unmounting tmpfs volumes) */
  stop(this: TestKubelet): Promise<void>;
}

export async function prepareImages(): Promise<void> {
  await ensureBusyboxImage(docker, BUSYBOX);
}

export function kubeletArgs(cp: TestControlPlane, node: string, podCidr: string | undefined, rootDir: string, extra: string[] = []): string[] {
  return [
    '--kubeconfig', cp.kubeconfigFor('kubelet'),
    '--node-name', node,
    '--node-ip', '127.0.0.1',
    ...(podCidr ? ['--pod-cidr', podCidr] : []),
    '--root-dir', rootDir,
    '--port', '0',
    '--ops-port', '0',
    '--crash-backoff-base', '1',
    '--crash-backoff-max', '4',
    '--image-backoff-base', '1',
    '--image-backoff-max', '4',
    '--sync-frequency', '2',
    '--node-status-update-frequency', '2',
    ...extra,
  ];
}

/** Starts a kubelet and waits for its Node to be Ready (or only registered, without a podCIDR). */
export async function startKubelet(cp: TestControlPlane, node: string, podCidr: string | undefined, extra: string[] = []): Promise<TestKubelet> {
  const rootDir = mkdtempSync(join(tmpdir(), `mk8s-kubelet-${node}-`));
  const args = kubeletArgs(cp, node, podCidr, rootDir, extra);
  const proc = spawnComponent('kubelet', args, { env: { LOG_LEVEL: process.env.MK8S_TEST_LOG_LEVEL ?? 'info' } });
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error('kubelet exited');
      const n = await cp.client.resource<Node>(RESOURCES.nodes).get(undefined, node);
      return podCidr === undefined || n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    },
    { timeoutMs: 60_000, message: () => `node ${node} not ready: ${proc.logs().slice(-4000)}` },
  );
  return {
    node,
    proc,
    rootDir,
    args,
    async stop(this: TestKubelet) {
      await this.proc.stop();
      await removeNodeContainers(node);
      await removeDirWithMounts(rootDir);
    },
  };
}

/** Removes every container labelled with the test node (even when the kubelet is gone). */
export async function removeNodeContainers(node: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_NODE}=${node}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

export function nodeContainers(node: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_NODE}=${node}`] } });
}

export function sh(name: string, script: string, extra: Partial<Container> = {}): Container {
  return { name, image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra };
}

export function testPod(name: string, node: string, containers: Container[], spec: Partial<PodSpec> = {}, namespace = 'default'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers, ...spec },
  };
}

export function createPod(client: RestClient, pod: Pod): Promise<Pod> {
  return client.resource<Pod>(RESOURCES.pods).create(pod);
}

export function getPod(client: RestClient, name: string, namespace = 'default'): Promise<Pod> {
  return client.resource<Pod>(RESOURCES.pods).get(namespace, name);
}

export async function waitForPod(
  client: RestClient,
  name: string,
  cond: (p: Pod) => boolean,
  what: string,
  timeoutMs = 60_000,
  logs?: () => string,
): Promise<Pod> {
  let last: Pod | undefined;
  return waitFor(
    async () => {
      last = await getPod(client, name);
      return cond(last) ? last : undefined;
    },
    { timeoutMs, message: () => `pod ${name}: ${what}; status: ${JSON.stringify(last?.status)}${logs ? `\n${logs().slice(-3000)}` : ''}` },
  );
}

/** The first container's waiting state (reason, message), if it waits. */
export const firstWaiting = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.waiting;

export const configMapOf = (name: string, data: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

export const isRunningReady = (p: Pod): boolean =>
  p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Output of a command run in a container (exec through Docker). */
export async function dockerExec(containerId: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output: demux(Buffer.concat(chunks)) };
}

function demux(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length) {
    const len = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + len).toString('utf8');
    i += 8 + len;
  }
  return out;
}

export const containerId = (p: Pod, name: string): string =>
  (p.status?.containerStatuses?.find((c) => c.name === name)?.containerID ?? '').replace('docker://', '');
