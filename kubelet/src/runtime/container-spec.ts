/**
 * Pure translation of a pod's spec into Docker create options.
 *
 * - `sandboxCreateOptions`: the pause container; it owns the pod's network (static IP on
 *   the pod network, or the host network), its IPC namespace (shareable), hostPorts and
 *   the hostname.
 * - `containerCreateOptions`: an app container joining the pause container's network and
 *   IPC namespaces (and PID with shareProcessNamespace); command -> Entrypoint, args ->
 *   Cmd, limits -> NanoCpus/Memory, requests.cpu -> CpuShares.
 * - `containerHash`: a stable hash of a container spec (canonical JSON, sorted keys), so
 *   that a restarted kubelet recognises its own containers.
 * Nothing here talks to Docker or the API; env values and mounts are resolved by callers.
 */
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { toBytes, toMilli, type Container, type Pod } from '@mk8s/shared';
import {
  DOCKER_TYPE_CONTAINER,
  DOCKER_TYPE_SANDBOX,
  LABEL_CONTAINER_HASH,
  LABEL_CONTAINER_INDEX,
  LABEL_CONTAINER_NAME,
  LABEL_DOCKER_TYPE,
  LABEL_NODE,
  LABEL_POD_IP,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_RESTART_COUNT,
  LABEL_RESTART_POLICY,
  LABEL_SANDBOX_ID,
  LABEL_TERMINATION_GRACE,
  LABEL_TERMINATION_MESSAGE_PATH,
  SANDBOX_CONTAINER_NAME,
} from './labels.js';
import { extraFields, securityOptions } from './security.js';

/** JSON with object keys sorted at every level: equal values give equal strings. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function containerHash(c: Container): string {
  return createHash('sha256').update(canonicalJson(c)).digest('hex').slice(0, 16);
}

export function terminationGraceSeconds(pod: Pod): number {
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
}

/** Docker container names, as the real kubelet forms them (unique per attempt). */
export function dockerContainerName(pod: Pod, containerName: string, attempt: number): string {
  const m = pod.metadata;
  return `k8s_${containerName}_${m.name ?? ''}_${m.namespace ?? 'default'}_${m.uid ?? ''}_${attempt}`;
}

export function podLabels(pod: Pod, nodeName: string): Record<string, string> {
  return {
    [LABEL_NODE]: nodeName,
    [LABEL_POD_NAME]: pod.metadata.name ?? '',
    [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? 'default',
    [LABEL_POD_UID]: pod.metadata.uid ?? '',
    [LABEL_TERMINATION_GRACE]: String(pod.spec.terminationGracePeriodSeconds ?? 30),
    [LABEL_RESTART_POLICY]: pod.spec.restartPolicy ?? 'Always',
  };
}

export interface SandboxOptions {
  nodeName: string;
  network: string;
  pauseImage: string;
  /** static address on `network`; absent for hostNetwork pods */
  podIp?: string;
  attempt: number;
  /** cluster DNS for ClusterFirst pods: servers and the cluster domain */
  dns?: { servers: string[]; domain: string };
}

export function sandboxCreateOptions(pod: Pod, o: SandboxOptions): Docker.ContainerCreateOptions {
  const hostNetwork = pod.spec.hostNetwork === true;
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || hostNetwork) continue;
      const key = `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostIp: p.hostIP ?? '', HostPort: String(p.hostPort) });
    }
  }
  const labels: Record<string, string> = {
    ...podLabels(pod, o.nodeName),
    [LABEL_CONTAINER_NAME]: SANDBOX_CONTAINER_NAME,
    [LABEL_DOCKER_TYPE]: DOCKER_TYPE_SANDBOX,
    [LABEL_RESTART_COUNT]: String(o.attempt),
  };
  if (o.podIp) labels[LABEL_POD_IP] = o.podIp;
  const hostConfig: Docker.HostConfig = {
    NetworkMode: hostNetwork ? 'host' : o.network,
    IpcMode: pod.spec.hostIPC ? 'host' : 'shareable',
    RestartPolicy: { Name: 'no' },
  };
  if (pod.spec.hostPID) hostConfig.PidMode = 'host';
  if (Object.keys(bindings).length) hostConfig.PortBindings = bindings;
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  if (o.dns && o.dns.servers.length && !hostNetwork && policy === 'ClusterFirst') {
    const ns = pod.metadata.namespace ?? 'default';
    hostConfig.Dns = o.dns.servers;
    hostConfig.DnsSearch = [`${ns}.svc.${o.dns.domain}`, `svc.${o.dns.domain}`, o.dns.domain];
    hostConfig.DnsOptions = ['ndots:5'];
  }
  const opts: Docker.ContainerCreateOptions = {
    name: dockerContainerName(pod, SANDBOX_CONTAINER_NAME, o.attempt),
    Image: o.pauseImage,
    Labels: labels,
    HostConfig: hostConfig,
  };
  if (!hostNetwork) {
    opts.Hostname = (pod.spec.hostname ?? pod.metadata.name ?? 'pod').slice(0, 63);
    if (Object.keys(exposed).length) opts.ExposedPorts = exposed;
    if (o.podIp) opts.NetworkingConfig = { EndpointsConfig: { [o.network]: { IPAMConfig: { IPv4Address: o.podIp } } } };
  }
  return opts;
}

export interface ContainerOptions {
  /** position in the spec, for the index label: "0", "1", ... or "init-0" */
  index: string;
  nodeName: string;
  sandboxId: string;
  restartCount: number;
  /** image reference to run (normally container.image) */
  image: string;
  /** resolved environment, in order */
  env: Array<[string, string]>;
  mounts: Docker.MountSettings[];
  /** command and args after $(VAR) expansion */
  command?: string[];
  args?: string[];
}

export function containerCreateOptions(pod: Pod, c: Container, o: ContainerOptions): Docker.ContainerCreateOptions {
  const sandbox = `container:${o.sandboxId}`;
  const hostConfig: Docker.HostConfig = {
    NetworkMode: sandbox,
    IpcMode: sandbox,
    RestartPolicy: { Name: 'no' },
    Mounts: o.mounts,
    ...resourceHostConfig(c),
  };
  if (pod.spec.shareProcessNamespace) hostConfig.PidMode = sandbox;
  else if (pod.spec.hostPID) hostConfig.PidMode = 'host';
  const security = securityOptions(pod, c);
  Object.assign(hostConfig, security.host);
  const opts: Docker.ContainerCreateOptions = {
    name: dockerContainerName(pod, c.name, o.restartCount),
    Image: o.image,
    Env: o.env.map(([k, v]) => `${k}=${v}`),
    Labels: {
      ...podLabels(pod, o.nodeName),
      [LABEL_CONTAINER_NAME]: c.name,
      [LABEL_DOCKER_TYPE]: DOCKER_TYPE_CONTAINER,
      [LABEL_SANDBOX_ID]: o.sandboxId,
      [LABEL_CONTAINER_HASH]: containerHash(c),
      [LABEL_RESTART_COUNT]: String(o.restartCount),
      [LABEL_CONTAINER_INDEX]: o.index,
      [LABEL_TERMINATION_MESSAGE_PATH]: c.terminationMessagePath ?? '/dev/termination-log',
    },
    HostConfig: hostConfig,
    Tty: c.tty === true,
    OpenStdin: c.stdin === true,
    StdinOnce: c.stdin === true && extraFields(c).stdinOnce === true,
  };
  if (security.user !== undefined) opts.User = security.user;
  const command = o.command ?? c.command;
  const args = o.args ?? c.args;
  if (command && command.length) opts.Entrypoint = command;
  if (args && args.length) opts.Cmd = args;
  else if (command && command.length) opts.Cmd = [];
  if (c.workingDir) opts.WorkingDir = c.workingDir;
  return opts;
}

type ResourceFields = 'NanoCpus' | 'Memory' | 'MemorySwap' | 'MemoryReservation' | 'CpuShares';

/**
 * limits.cpu -> NanoCpus, limits.memory -> Memory, requests.cpu (else limits.cpu) ->
 * CpuShares, requests.memory below the limit -> MemoryReservation (a soft limit).
 * MemorySwap equals Memory, so the limit cannot be escaped into swap.
 */
export function resourceHostConfig(c: Container): Pick<Docker.HostConfig, ResourceFields> {
  const out: Pick<Docker.HostConfig, ResourceFields> = {};
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  if (limits.cpu !== undefined) out.NanoCpus = toMilli(limits.cpu) * 1_000_000;
  if (limits.memory !== undefined) {
    out.Memory = toBytes(limits.memory);
    out.MemorySwap = out.Memory; // no swap beyond the limit, as on a Kubernetes node
  }
  const reqCpu = requests.cpu ?? limits.cpu;
  if (reqCpu !== undefined) out.CpuShares = Math.max(2, Math.floor((toMilli(reqCpu) * 1024) / 1000));
  if (requests.memory !== undefined) {
    const reservation = toBytes(requests.memory);
    if (out.Memory === undefined || reservation < out.Memory) out.MemoryReservation = reservation;
  }
  return out;
}
