/**
 * The Endpoints of a Service as a pure function of the service and its pods (kubernetes
 * pkg/controller/endpoint: syncService, addEndpointSubset, RepackSubsets):
 * - a pod counts when it has a podIP, is not Succeeded/Failed and not being deleted (unless the
 *   service publishes not-ready addresses, which also puts every counted pod in `addresses`);
 * - Ready (Running with condition Ready=True) pods go to `addresses`, others to `notReadyAddresses`;
 * - each service port is resolved per pod: a numeric targetPort as is (default: `port`), a named
 *   one against the pod's container ports (name and protocol); a port that does not resolve is
 *   left out for that pod (as Kubernetes does), and a pod with no resolved port is left out;
 * - pods with identical resolved port sets share one subset; addresses and subsets are sorted,
 *   so equal inputs give byte-equal output and the controller writes only on change.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from '@mk8s/shared';
import { isPodReady } from '../util/pods.js';

/** The container port a service port targets on this pod, or undefined when it does not resolve. */
export function resolveTargetPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

function endpointPort(sp: ServicePort, port: number): EndpointPort {
  const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
  if (sp.name) ep.name = sp.name;
  if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
  return ep;
}

export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

function addressOf(svc: Service, pod: Pod): EndpointAddress {
  const a: EndpointAddress = {
    ip: pod.status!.podIP!,
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name ?? '', uid: pod.metadata.uid },
  };
  if (pod.spec.nodeName) a.nodeName = pod.spec.nodeName;
  if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) a.hostname = pod.spec.hostname;
  return a;
}

const comparePorts = (a: EndpointPort, b: EndpointPort): number => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || (a.protocol ?? '').localeCompare(b.protocol ?? '');
const compareAddresses = (a: EndpointAddress, b: EndpointAddress): number =>
  a.ip.localeCompare(b.ip, 'en', { numeric: true }) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');

export function computeSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = svc.spec.publishNotReadyAddresses === true;
  const servicePorts = svc.spec.ports ?? [];
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of servicePorts) {
      const port = resolveTargetPort(pod, sp);
      if (port !== undefined) ports.push(endpointPort(sp, port));
    }
    if (servicePorts.length > 0 && ports.length === 0) continue;
    ports.sort(comparePorts);
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    const ready = publishNotReady || (pod.status?.phase === 'Running' && isPodReady(pod));
    (ready ? g.ready : g.notReady).push(addressOf(svc, pod));
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => {
      const s: EndpointSubset = {};
      if (g.ready.length) s.addresses = g.ready.sort(compareAddresses);
      if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(compareAddresses);
      if (g.ports.length) s.ports = g.ports;
      return s;
    });
}
