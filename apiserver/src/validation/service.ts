/**
 * Service and Endpoints validation (core `ValidateService`, `ValidateEndpoints`). Expects the
 * service defaults (type, sessionAffinity, port protocol, targetPort) to be applied first.
 * Cluster IP and node port *allocation* belong to the registry; here only their shape and
 * immutability are checked.
 */
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isInRange,
  isValidIP,
  isValidPortNum,
  type EndpointPort,
  type Endpoints,
  type Service,
  type ServicePort,
} from '@mk8s/shared';
import {
  arrayOf,
  child,
  duplicate,
  forbidden,
  IMMUTABLE,
  index,
  invalid,
  invalidEach,
  isObj,
  isSet,
  notSupported,
  required,
  type FieldCause,
} from './causes.js';
import { PROTOCOLS, validatePortNumOrName } from './container.js';
import { validateLabels } from './meta.js';

export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
export const SESSION_AFFINITIES = ['ClientIP', 'None'];
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };

function validateServicePort(sp: ServicePort, p: string, svc: Service['spec'], requireName: boolean): FieldCause[] {
  if (!isObj(sp)) return [invalid(p, sp, 'must be an object')];
  const causes: FieldCause[] = [];
  if (!sp.name) {
    if (requireName) causes.push(required(child(p, 'name')));
  } else {
    causes.push(...invalidEach(child(p, 'name'), sp.name, isDNS1123Label(sp.name)));
  }
  if (!isSet(sp.port)) causes.push(required(child(p, 'port')));
  else causes.push(...invalidEach(child(p, 'port'), sp.port, isValidPortNum(sp.port)));
  if (!sp.protocol) causes.push(required(child(p, 'protocol')));
  else if (!PROTOCOLS.includes(sp.protocol)) causes.push(notSupported(child(p, 'protocol'), sp.protocol, PROTOCOLS));
  if (isSet(sp.targetPort)) causes.push(...validatePortNumOrName(sp.targetPort, child(p, 'targetPort')));
  if (isSet(sp.nodePort) && sp.nodePort !== 0) {
    const type = svc.type ?? 'ClusterIP';
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      causes.push(forbidden(child(p, 'nodePort'), `may not be used when \`type\` is '${type}'`));
    } else if (isInRange(sp.nodePort as number, NODE_PORT_RANGE.min, NODE_PORT_RANGE.max).length) {
      causes.push(
        invalid(
          child(p, 'nodePort'),
          sp.nodePort,
          `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
        ),
      );
    }
  }
  return causes;
}

export function validateService(svc: Service): FieldCause[] {
  const spec = svc.spec;
  if (!isObj(spec)) return [required('spec')];
  const causes: FieldCause[] = [];
  const type = spec.type;
  if (!type) causes.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) causes.push(notSupported('spec.type', type, SERVICE_TYPES));
  const headless = spec.clusterIP === 'None';
  const ports = arrayOf<ServicePort>(spec.ports);
  if (!Array.isArray(spec.ports) && isSet(spec.ports)) causes.push(invalid('spec.ports', spec.ports, 'must be a list'));
  if (ports.length === 0 && !headless && type !== 'ExternalName') causes.push(required('spec.ports'));
  const names = new Set<string>();
  const portKeys = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((sp, i) => {
    const p = index('spec.ports', i);
    causes.push(...validateServicePort(sp, p, spec, ports.length > 1));
    if (!isObj(sp)) return;
    if (sp.name) {
      if (names.has(sp.name)) causes.push(duplicate(child(p, 'name'), sp.name));
      names.add(sp.name);
    }
    const k = `${sp.port}/${sp.protocol ?? 'TCP'}`;
    if (portKeys.has(k)) causes.push(duplicate(p, k));
    portKeys.add(k);
    if (sp.nodePort) {
      const nk = `${sp.nodePort}/${sp.protocol ?? 'TCP'}`;
      if (nodePorts.has(nk)) causes.push(duplicate(child(p, 'nodePort'), sp.nodePort));
      nodePorts.add(nk);
    }
  });
  if (type === 'ExternalName') {
    if (!spec.externalName) causes.push(required('spec.externalName'));
    else causes.push(...invalidEach('spec.externalName', spec.externalName, isDNS1123Subdomain(spec.externalName.replace(/\.$/, ''))));
    if (spec.clusterIP) causes.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
  } else if (spec.clusterIP && !headless) {
    causes.push(...invalidEach('spec.clusterIP', spec.clusterIP, isValidIP(spec.clusterIP)));
  }
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) {
    causes.push(invalid('spec.clusterIP', 'None', `may not be set to 'None' for ${type} services`));
  }
  if (!spec.sessionAffinity) causes.push(required('spec.sessionAffinity'));
  else if (!SESSION_AFFINITIES.includes(spec.sessionAffinity)) causes.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES));
  causes.push(...validateLabels(spec.selector, 'spec.selector'));
  arrayOf<string>(spec.externalIPs).forEach((ip, i) => causes.push(...invalidEach(index('spec.externalIPs', i), ip, isValidIP(ip))));
  return causes;
}

/**
 * A cluster IP may not change once set. An update that leaves it empty is accepted: the
 * registry carries the allocated address over (see `carryOverServiceAllocations`).
 */
export function validateServiceUpdate(svc: Service, old: Service): FieldCause[] {
  const causes = validateService(svc);
  const oldIP = old.spec?.clusterIP;
  const ip = svc.spec?.clusterIP;
  if (oldIP && ip && ip !== oldIP && svc.spec?.type !== 'ExternalName' && old.spec?.type !== 'ExternalName') {
    causes.push(invalid('spec.clusterIP', ip, IMMUTABLE));
  }
  return causes;
}

function validateEndpointPort(port: EndpointPort, p: string, requireName: boolean): FieldCause[] {
  if (!isObj(port)) return [invalid(p, port, 'must be an object')];
  const causes: FieldCause[] = [];
  if (!port.name) {
    if (requireName) causes.push(required(child(p, 'name')));
  } else causes.push(...invalidEach(child(p, 'name'), port.name, isDNS1123Label(port.name)));
  causes.push(...invalidEach(child(p, 'port'), port.port, isValidPortNum(port.port)));
  if (!port.protocol) causes.push(required(child(p, 'protocol')));
  else if (!PROTOCOLS.includes(port.protocol)) causes.push(notSupported(child(p, 'protocol'), port.protocol, PROTOCOLS));
  return causes;
}

export function validateEndpoints(ep: Endpoints): FieldCause[] {
  const causes: FieldCause[] = [];
  arrayOf<NonNullable<Endpoints['subsets']>[number]>(ep.subsets).forEach((subset, i) => {
    const sp = index('subsets', i);
    if (!isObj(subset)) return void causes.push(invalid(sp, subset, 'must be an object'));
    for (const which of ['addresses', 'notReadyAddresses'] as const) {
      arrayOf<{ ip?: string; nodeName?: string }>(subset[which]).forEach((a, j) => {
        const ap = index(child(sp, which), j);
        if (!a?.ip) causes.push(required(child(ap, 'ip')));
        else causes.push(...invalidEach(child(ap, 'ip'), a.ip, isValidIP(a.ip)));
        if (a?.nodeName) causes.push(...invalidEach(child(ap, 'nodeName'), a.nodeName, isDNS1123Subdomain(a.nodeName)));
      });
    }
    const ports = arrayOf<EndpointPort>(subset.ports);
    ports.forEach((port, j) => causes.push(...validateEndpointPort(port, index(child(sp, 'ports'), j), ports.length > 1)));
  });
  return causes;
}
