/**
 * What a pod asks of a node: resource requests, host ports and its controller, computed once
 * per pod (`podResources`). Follows Kubernetes' rules:
 * - requests are the sum over containers, raised to the largest single init container;
 *   a container with a limit but no request requests its limit (apiserver defaulting);
 * - for scoring only, a container that requests nothing counts as 100m cpu / 200Mi memory
 *   (`nonZero`), so empty pods still spread;
 * - a host port is (protocol, hostIP, hostPort); hostIP '' means 0.0.0.0; host-network pods
 *   use their container ports as host ports.
 * Malformed quantities count as zero: validation is the apiserver's job.
 */
import { toBytes, toMilli, type Container, type Node, type Pod, type ResourceList } from '@mk8s/shared';

export interface Resources {
  milliCpu: number;
  memory: number;
}

export interface HostPort {
  protocol: string;
  ip: string;
  port: number;
}

export interface PodResources {
  requests: Resources;
  /** requests with defaults for empty containers, for scoring */
  nonZero: Resources;
  hostPorts: HostPort[];
  /** uid of the controller ownerReference, if any */
  ownerUid: string | undefined;
}

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

function quantity(list: ResourceList | undefined, name: string, convert: (q: string) => number): number | undefined {
  const v = list?.[name];
  if (v === undefined) return undefined;
  try {
    return convert(v);
  } catch {
    return undefined;
  }
}

function containerRequests(c: Container): { cpu: number | undefined; mem: number | undefined } {
  const r = c.resources;
  return {
    cpu: quantity(r?.requests, 'cpu', toMilli) ?? quantity(r?.limits, 'cpu', toMilli),
    mem: quantity(r?.requests, 'memory', toBytes) ?? quantity(r?.limits, 'memory', toBytes),
  };
}

export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const p of c.ports ?? []) {
      const port = p.hostPort ?? (pod.spec.hostNetwork ? p.containerPort : undefined);
      if (!port || port <= 0) continue;
      out.push({ protocol: p.protocol ?? 'TCP', ip: p.hostIP && p.hostIP !== '' ? p.hostIP : '0.0.0.0', port });
    }
  }
  return out;
}

export function controllerUid(pod: Pod): string | undefined {
  return pod.metadata.ownerReferences?.find((o) => o.controller)?.uid;
}

export function podResources(pod: Pod): PodResources {
  const requests: Resources = { milliCpu: 0, memory: 0 };
  const nonZero: Resources = { milliCpu: 0, memory: 0 };
  for (const c of pod.spec.containers ?? []) {
    const { cpu, mem } = containerRequests(c);
    requests.milliCpu += cpu ?? 0;
    requests.memory += mem ?? 0;
    nonZero.milliCpu += cpu ?? DEFAULT_MILLI_CPU_REQUEST;
    nonZero.memory += mem ?? DEFAULT_MEMORY_REQUEST;
  }
  for (const c of pod.spec.initContainers ?? []) {
    const { cpu, mem } = containerRequests(c);
    requests.milliCpu = Math.max(requests.milliCpu, cpu ?? 0);
    requests.memory = Math.max(requests.memory, mem ?? 0);
    nonZero.milliCpu = Math.max(nonZero.milliCpu, cpu ?? DEFAULT_MILLI_CPU_REQUEST);
    nonZero.memory = Math.max(nonZero.memory, mem ?? DEFAULT_MEMORY_REQUEST);
  }
  return { requests, nonZero, hostPorts: podHostPorts(pod), ownerUid: controllerUid(pod) };
}

export interface Allocatable extends Resources {
  pods: number;
}

/** A node's allocatable resources (falling back to capacity), as numbers. */
export function nodeAllocatable(node: Node): Allocatable {
  const list = node.status?.allocatable ?? node.status?.capacity;
  return {
    milliCpu: quantity(list, 'cpu', toMilli) ?? 0,
    memory: quantity(list, 'memory', toBytes) ?? 0,
    pods: quantity(list, 'pods', toBytes) ?? 0,
  };
}

const memo = new WeakMap<Pod, PodResources>();
let lastPod: Pod | undefined;
let lastRes: PodResources | undefined;

/** `podResources`, computed once per pod object (plugins call it once per node, so the last one is kept at hand). */
export function podResourcesOf(pod: Pod): PodResources {
  if (pod === lastPod && lastRes) return lastRes;
  let r = memo.get(pod);
  if (!r) memo.set(pod, (r = podResources(pod)));
  lastPod = pod;
  lastRes = r;
  return r;
}
