/**
 * The kubelet's Node object: `buildNode` (pure) describes this node; `registerNode` creates
 * it, or updates an existing one's labels (and podCIDR when given by flag) and then its
 * status; `nodeStatus` is the status with a fresh Ready heartbeat. `waitForPodCidr` waits
 * until spec.podCIDR is set (by flag or by the controller-manager's IPAM).
 */
import { RESOURCES, isAlreadyExists, isConflict, type ApiClient, type Condition, type Logger, type Node } from '@mk8s/shared';
import { goArch, type SystemInfo } from './info.js';

export const KUBELET_VERSION = 'v1.32.0-mk8s';

export interface NodeConfig {
  name: string;
  ip: string;
  hostname: string;
  cpu: string;
  memory: string;
  maxPods: number;
  kubeletPort: number;
  dockerVersion: string;
  podCidr?: string;
  labels?: Record<string, string>;
  /** identity of the machine for status.nodeInfo (empty when unknown) */
  system?: SystemInfo;
}

export function nodeLabels(cfg: NodeConfig): Record<string, string> {
  const arch = goArch();
  return {
    'kubernetes.io/hostname': cfg.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': arch,
    ...cfg.labels,
  };
}

function heartbeatConditions(old: Condition[] | undefined, now: string, ready: boolean): Condition[] {
  const cond = (type: string, status: Condition['status'], reason: string, message: string): Condition => {
    const prev = old?.find((c) => c.type === type);
    return {
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
    };
  };
  return [
    cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready
      ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
      : cond('Ready', 'False', 'KubeletNotReady', 'container runtime is not ready'),
  ];
}

export function nodeStatus(cfg: NodeConfig, old: Node['status'], now: string, ready: boolean): NonNullable<Node['status']> {
  const resources = { cpu: cfg.cpu, memory: cfg.memory, pods: String(cfg.maxPods), 'ephemeral-storage': '10Gi' };
  return {
    ...old,
    capacity: resources,
    allocatable: resources,
    conditions: heartbeatConditions(old?.conditions, now, ready),
    addresses: [
      { type: 'InternalIP', address: cfg.ip },
      { type: 'Hostname', address: cfg.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort } },
    nodeInfo: {
      machineID: cfg.system?.machineID ?? '',
      systemUUID: cfg.system?.systemUUID ?? '',
      bootID: cfg.system?.bootID ?? '',
      kernelVersion: cfg.system?.kernelVersion ?? '',
      osImage: cfg.system?.osImage ?? 'mk8s',
      containerRuntimeVersion: `docker://${cfg.dockerVersion}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: goArch(),
    },
    phase: undefined,
  };
}

export function buildNode(cfg: NodeConfig, now: string, ready = true): Node {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: cfg.name, labels: nodeLabels(cfg), annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
    spec: {},
    status: nodeStatus(cfg, undefined, now, ready),
  };
  if (cfg.podCidr) node.spec = { podCIDR: cfg.podCidr, podCIDRs: [cfg.podCidr] };
  delete node.status?.phase;
  return node;
}

const nowString = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Creates or updates the Node; returns it as stored. `ready` is the first Ready condition. */
export async function registerNode(client: ApiClient, cfg: NodeConfig, logger: Logger, ready = true): Promise<Node> {
  const api = client.resource<Node>(RESOURCES.nodes);
  const want = buildNode(cfg, nowString(), ready);
  try {
    const created = await api.create(want);
    logger.info({ node: cfg.name }, 'node registered');
    return await updateNodeStatus(client, cfg, created, ready);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  for (let attempt = 0; ; attempt++) {
    const cur = await api.get(undefined, cfg.name);
    const next: Node = { ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...want.metadata.labels } } };
    if (cfg.podCidr && !cur.spec?.podCIDR) next.spec = { ...cur.spec, podCIDR: cfg.podCidr, podCIDRs: [cfg.podCidr] };
    try {
      const updated = await api.update(next);
      logger.info({ node: cfg.name }, 'node updated');
      return await updateNodeStatus(client, cfg, updated, ready || Boolean(updated.spec?.podCIDR));
    } catch (err) {
      if (!isConflict(err) || attempt >= 5) throw err;
    }
  }
}

/** Writes the node status (heartbeat) through the status subresource, re-reading on conflict. */
export async function updateNodeStatus(client: ApiClient, cfg: NodeConfig, node: Node | undefined, ready: boolean): Promise<Node> {
  const api = client.resource<Node>(RESOURCES.nodes);
  let cur = node ?? (await api.get(undefined, cfg.name));
  for (let attempt = 0; ; attempt++) {
    const status = nodeStatus(cfg, cur.status, nowString(), ready);
    delete status.phase;
    try {
      return await api.updateStatus({ ...cur, status });
    } catch (err) {
      if (!isConflict(err) || attempt >= 5) throw err;
      cur = await api.get(undefined, cfg.name);
    }
  }
}

/** Polls the Node until spec.podCIDR is set; returns it. */
export async function waitForPodCidr(client: ApiClient, name: string, signal: AbortSignal, logger: Logger, intervalMs = 1000): Promise<string | undefined> {
  const api = client.resource<Node>(RESOURCES.nodes);
  let logged = false;
  while (!signal.aborted) {
    try {
      const n = await api.get(undefined, name);
      const cidr = n.spec?.podCIDR ?? n.spec?.podCIDRs?.[0];
      if (cidr) return cidr;
      if (!logged) logger.info({ node: name }, 'waiting for spec.podCIDR');
      logged = true;
    } catch (err) {
      logger.warn({ err }, 'reading node failed');
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return undefined;
}
