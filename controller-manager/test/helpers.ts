/**
 * End-to-end helpers for the controller-manager: a real control plane (etcd + apiserver), the
 * compiled controller-manager process, a Node object but no kubelet and no scheduler. Tests play
 * the kubelet themselves by writing pod status (Running, Ready) through the status subresource.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { RESOURCES, type Node, type Pod, type RestClient } from '@mk8s/shared';
import { kubectlBinary, spawnComponent, startControlPlane, waitFor, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';

export interface Env {
  cp: TestControlPlane;
  client: RestClient;
  cm: ManagedProcess;
  procs: ManagedProcess[];
}

/** Short leases so a restarted controller-manager takes over within seconds of a kill -9. */
export const FAST_LEASE = ['--leader-elect-lease-duration', '4s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '500ms'];

export function startControllerManager(cp: TestControlPlane, extra: string[] = []): ManagedProcess {
  return spawnComponent('controller-manager', ['--kubeconfig', cp.kubeconfigFor('controller-manager'), '--ops-port', '0', ...FAST_LEASE, ...extra], {
    env: { LOG_LEVEL: process.env.MK8S_TEST_LOG_LEVEL ?? 'info' },
  });
}

export async function setup(extra: string[] = []): Promise<Env> {
  const cp = await startControlPlane();
  const client = cp.client;
  await client.resource<Node>(RESOURCES.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {} });
  const cm = startControllerManager(cp, extra);
  return { cp, client, cm, procs: [cm] };
}

export async function teardown(env: Env | undefined): Promise<void> {
  if (!env) return;
  await Promise.all(env.procs.map((p) => p.stop()));
  await env.cp.stop();
}

/** Runs stock kubectl as admin (asynchronously: loops in the test process keep running meanwhile). */
export async function kubectl(env: Env, args: string[], version = '1.32'): Promise<string> {
  const { stdout } = await promisify(execFile)(kubectlBinary(version), ['--kubeconfig', env.cp.kubeconfigFor('admin'), ...args], { encoding: 'utf8' });
  return stdout;
}

export const podApi = (client: RestClient) => client.resource<Pod>(RESOURCES.pods);

/** Active (not terminating, not finished) pods of the namespace whose labels include `labels`. */
export async function activePods(client: RestClient, labels: Record<string, string>, namespace = 'default'): Promise<Pod[]> {
  const sel = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  const { items } = await podApi(client).list(namespace, { labelSelector: sel });
  return items.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}

export async function waitForPodCount(env: Env, labels: Record<string, string>, n: number, timeoutMs = 60_000): Promise<Pod[]> {
  return waitFor(
    async () => {
      const pods = await activePods(env.client, labels);
      return pods.length === n ? pods : undefined;
    },
    { timeoutMs, message: () => `expected ${n} pods with ${JSON.stringify(labels)}; controller-manager logs:\n${env.cm.logs().slice(-4000)}` },
  );
}

const ts = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Plays the kubelet: marks the pod Running and Ready (or not ready), with `ip` as its pod IP. */
export async function setPodReady(client: RestClient, pod: Pod, ready: boolean, ip?: string): Promise<void> {
  const status = ready ? 'True' : 'False';
  await podApi(client).patch(
    pod.metadata.namespace,
    pod.metadata.name ?? '',
    {
      status: {
        phase: 'Running',
        ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
        conditions: [
          { type: 'Ready', status, lastTransitionTime: ts() },
          { type: 'ContainersReady', status, lastTransitionTime: ts() },
        ],
      },
    },
    'merge',
    { subresource: 'status' },
  );
}
