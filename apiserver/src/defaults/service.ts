/**
 * Service and Endpoints defaulting (core/v1 `SetDefaults_Service`), plus the carry-over of
 * allocated values (cluster IP, node ports) that Kubernetes' service REST storage performs
 * when an update omits them. Mutates in place; idempotent.
 */
import type { Endpoints, Service } from '@mk8s/shared';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultService(svc: Service): void {
  if (!isObj(svc.spec)) return;
  const spec = svc.spec;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {};
    spec.sessionAffinityConfig.clientIP ??= {};
    spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  for (const port of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isObj(port)) continue;
    port.protocol ??= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
}

/**
 * On update, keep the cluster IP and node ports already allocated when the new object leaves
 * them empty (what `kubectl replace` of a hand-written manifest does). Call before validation.
 */
export function carryOverServiceAllocations(svc: Service, old: Service): void {
  if (!isObj(svc.spec) || !isObj(old.spec)) return;
  const spec = svc.spec;
  const o = old.spec;
  if (spec.type !== 'ExternalName' && o.type !== 'ExternalName') {
    if (!spec.clusterIP && o.clusterIP) spec.clusterIP = o.clusterIP;
    if ((!spec.clusterIPs || spec.clusterIPs.length === 0) && o.clusterIPs) spec.clusterIPs = [...o.clusterIPs];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    for (const port of Array.isArray(spec.ports) ? spec.ports : []) {
      if (!isObj(port) || port.nodePort) continue;
      const match = (o.ports ?? []).find(
        (p) => (port.name && p.name === port.name) || (p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')),
      );
      if (match?.nodePort) port.nodePort = match.nodePort;
    }
  }
}

export function defaultEndpoints(ep: Endpoints): void {
  for (const subset of Array.isArray(ep.subsets) ? ep.subsets : []) {
    for (const port of Array.isArray(subset?.ports) ? subset.ports : []) if (isObj(port)) port.protocol ??= 'TCP';
  }
}
