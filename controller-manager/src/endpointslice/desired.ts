/**
 * The endpoints a Service should have in its EndpointSlices, as a pure function of the service
 * and its selected pods (kubernetes pkg/controller/endpointslice: podToEndpoint,
 * getEndpointPorts):
 * - a pod counts when it has an IPv4 address and is not Succeeded/Failed; terminating pods
 *   stay, with `terminating: true` (unlike Endpoints, which drop them);
 * - conditions: `serving` = the pod is Ready, `ready` = serving and not terminating (or the
 *   service publishes not-ready addresses), so not-ready pods appear with `ready: false`;
 * - each service port is resolved per pod (numeric target as is, named against the pod's
 *   container ports: the Endpoints controller's `resolveTargetPort`); unresolved ports are
 *   left out for that pod, and pods are grouped by their resolved port set (one group may
 *   have no ports at all);
 * - `nodeName` and `targetRef` as on the pod, `hostname` when the pod's subdomain is the
 *   service's name; no zone (mk8s nodes carry no topology labels).
 */
import { isIP } from 'node:net';
import type { EndpointSliceEndpoint, EndpointSlicePort, Pod, Service } from '@mk8s/shared';
import { resolveTargetPort, shouldPodBeInEndpoints } from '../endpoints/subsets.js';
import { isPodReady } from '../util/pods.js';

export interface DesiredGroup {
  ports: EndpointSlicePort[];
  /** by `endpointKey` */
  endpoints: Map<string, EndpointSliceEndpoint>;
}

/** A port as the apiserver stores it (name '' and protocol TCP by default). */
export function normalizePort(p: EndpointSlicePort): EndpointSlicePort {
  const out: EndpointSlicePort = { name: p.name ?? '', protocol: p.protocol ?? 'TCP' };
  if (p.port !== undefined && p.port !== null) out.port = p.port;
  if (p.appProtocol) out.appProtocol = p.appProtocol;
  return out;
}

/** Identifies a port set regardless of order (port names are unique within a slice). */
export function portsKey(ports: EndpointSlicePort[] | null | undefined): string {
  return JSON.stringify(
    (ports ?? [])
      .map(normalizePort)
      .map((p) => [p.name, p.protocol, p.port ?? null, p.appProtocol ?? null])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[2]) - Number(b[2])),
  );
}

/** Identifies an endpoint across syncs: its addresses and the object behind it. */
export function endpointKey(ep: EndpointSliceEndpoint): string {
  const ref = ep.targetRef;
  return `${[...(ep.addresses ?? [])].sort().join(',')}|${ref?.namespace ?? ''}/${ref?.name ?? ''}`;
}

/** The pod's IPv4 address (status.podIPs first, then status.podIP), if any. */
export function podIPv4(pod: Pod): string | undefined {
  const candidates = [...(pod.status?.podIPs ?? []).map((p) => p.ip), pod.status?.podIP];
  return candidates.find((ip): ip is string => typeof ip === 'string' && isIP(ip) === 4);
}

export function podToEndpoint(svc: Service, pod: Pod, ip: string): EndpointSliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  const ready = svc.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: EndpointSliceEndpoint = {
    addresses: [ip],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name ?? '', uid: pod.metadata.uid },
  };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) ep.hostname = pod.spec.hostname;
  return ep;
}

/** The service ports resolved against one pod, in the service's order. */
export function endpointPorts(svc: Service, pod: Pod): EndpointSlicePort[] {
  const out: EndpointSlicePort[] = [];
  for (const sp of svc.spec.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port === undefined) continue;
    out.push(normalizePort({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }));
  }
  return out;
}

/** Desired endpoints grouped by port set (map key: `portsKey`). Pods are taken in IP order. */
export function desiredGroups(svc: Service, pods: Pod[]): Map<string, DesiredGroup> {
  const groups = new Map<string, DesiredGroup>();
  const candidates = pods
    .filter((p) => shouldPodBeInEndpoints(p, true))
    .map((pod) => ({ pod, ip: podIPv4(pod) }))
    .filter((c): c is { pod: Pod; ip: string } => c.ip !== undefined)
    .sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }) || (a.pod.metadata.name ?? '').localeCompare(b.pod.metadata.name ?? ''));
  for (const { pod, ip } of candidates) {
    const ports = endpointPorts(svc, pod);
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: new Map() }));
    const ep = podToEndpoint(svc, pod, ip);
    g.endpoints.set(endpointKey(ep), ep);
  }
  return groups;
}
