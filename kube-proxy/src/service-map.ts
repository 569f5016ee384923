/**
 * What the proxy should serve, computed from the Service and Endpoints caches (pure).
 * One `ServicePortSpec` per (service, port) with a TCP or UDP protocol: the ClusterIP it
 * answers on (none for headless and ExternalName services), its NodePort (NodePort and
 * LoadBalancer types), session affinity, and the ready endpoints whose port matches the
 * service port by name (Endpoints ports carry the service port's name; an unnamed single
 * port matches the unnamed endpoint port). `listenersFor` turns specs into sockets to open.
 */
import type { Endpoints, Service } from '@mk8s/shared';
import type { Endpoint } from './balancer.js';

export type Protocol = 'TCP' | 'UDP';

export interface ServicePortSpec {
  /** `<ns>/<name>:<port name>` */
  key: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: Protocol;
  clusterIP?: string;
  port: number;
  nodePort?: number;
  /** 0 = no session affinity */
  affinityTimeoutMs: number;
  endpoints: Endpoint[];
}

export interface ListenerSpec {
  /** `<protocol>|<host>|<port>` */
  id: string;
  protocol: Protocol;
  host: string;
  port: number;
  /** the ServicePortSpec key it forwards for */
  service: string;
}

export const DEFAULT_AFFINITY_SECONDS = 10800;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIPv4(s: string | undefined): s is string {
  const m = s ? IPV4.exec(s) : null;
  return !!m && m.slice(1).every((x) => Number(x) <= 255);
}

/** The service's ClusterIP when it has a real one (not headless, not ExternalName). */
export function serviceClusterIP(svc: Service): string | undefined {
  if (svc.spec.type === 'ExternalName') return undefined;
  const ip = svc.spec.clusterIP;
  return isIPv4(ip) ? ip : undefined;
}

export function affinityTimeoutMs(svc: Service): number {
  if (svc.spec.sessionAffinity !== 'ClientIP') return 0;
  return (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000;
}

/** Ready endpoints of `eps` for the service port named `portName` with `protocol`. */
export function readyEndpointsFor(eps: Endpoints | undefined, portName: string, protocol: Protocol): Endpoint[] {
  const out: Endpoint[] = [];
  const seen = new Set<string>();
  for (const subset of eps?.subsets ?? []) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (!port) continue;
    for (const a of subset.addresses ?? []) {
      const k = `${a.ip}:${port.port}`;
      if (!isIPv4(a.ip) || seen.has(k)) continue;
      seen.add(k);
      out.push({ ip: a.ip, port: port.port });
    }
  }
  return out;
}

export function servicePortSpecs(svc: Service, eps: Endpoints | undefined): ServicePortSpec[] {
  const namespace = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name ?? '';
  const clusterIP = serviceClusterIP(svc);
  const withNodePort = svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer';
  const out: ServicePortSpec[] = [];
  for (const p of svc.spec.ports ?? []) {
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') continue;
    const portName = p.name ?? '';
    const spec: ServicePortSpec = {
      key: `${namespace}/${name}:${portName}`,
      namespace,
      name,
      portName,
      protocol,
      port: p.port,
      affinityTimeoutMs: affinityTimeoutMs(svc),
      endpoints: readyEndpointsFor(eps, portName, protocol),
    };
    if (clusterIP) spec.clusterIP = clusterIP;
    if (withNodePort && p.nodePort) spec.nodePort = p.nodePort;
    out.push(spec);
  }
  return out;
}

/** Sockets for one spec: ClusterIP:port, and each node address at the NodePort. */
export function listenersFor(spec: ServicePortSpec, nodePortAddresses: readonly string[]): ListenerSpec[] {
  const out: ListenerSpec[] = [];
  const add = (host: string, port: number) =>
    out.push({ id: `${spec.protocol}|${host}|${port}`, protocol: spec.protocol, host, port, service: spec.key });
  if (spec.clusterIP) add(spec.clusterIP, spec.port);
  if (spec.nodePort) for (const a of nodePortAddresses) add(a, spec.nodePort);
  return out;
}

/** ClusterIPs that must be local to the node: every service with a ClusterIP, endpoints or not. */
export function clusterIPsOf(services: readonly Service[]): Set<string> {
  const out = new Set<string>();
  for (const s of services) {
    const ip = serviceClusterIP(s);
    if (ip && (s.spec.ports ?? []).length) out.add(ip);
  }
  return out;
}
