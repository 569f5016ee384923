/**
 * EndpointSlice validation (kubernetes pkg/apis/discovery/validation): addressType required,
 * one of IPv4/IPv6/FQDN and immutable; at most 1000 endpoints per slice, each with 1..100
 * addresses of the slice's type (IPs neither unspecified, loopback nor link-local), a valid
 * nodeName and hostname; ports with unique DNS-1123-label names (or ''), a supported protocol,
 * a port number in 1..65535 when set (mk8s is stricter than Kubernetes here) and a qualified
 * appProtocol. Expects `defaultEndpointSlice` to have run. Pure functions.
 */
import { isIP } from 'node:net';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortNum,
  type EndpointSlice,
  type EndpointSliceEndpoint,
  type EndpointSlicePort,
} from '@mk8s/shared';
import { arrayOf, child, duplicate, IMMUTABLE, index, invalid, invalidEach, isObj, isSet, notSupported, required, tooMany, type FieldCause } from './causes.js';
import { PROTOCOLS } from './container.js';

export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
export const MAX_ENDPOINTS = 1000;
export const MAX_ADDRESSES = 100;
export const MAX_PORTS = 20000;
const MAX_ZONE_HINTS = 8;

/** Kubernetes' ValidateEndpointIP: addresses a proxy must never forward to. */
export function endpointIPProblems(ip: string): string[] {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b, c] = ip.split('.').map(Number);
    if (ip === '0.0.0.0') return ['may not be unspecified (0.0.0.0)'];
    if (a === 127) return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
    if (a === 169 && b === 254) return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
    if (a === 224 && b === 0 && c === 0) return ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'];
  } else if (v === 6) {
    const lower = ip.toLowerCase();
    if (lower === '::') return ['may not be unspecified (::)'];
    if (lower === '::1') return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
    if (/^fe[89ab]/.test(lower)) return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
    if (/^ff02:/.test(lower)) return ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'];
  }
  return [];
}

function addressProblems(addressType: unknown, address: string): string[] {
  switch (addressType) {
    case 'IPv4':
      return isIP(address) === 4 ? endpointIPProblems(address) : ['must be a valid IPv4 address'];
    case 'IPv6':
      return isIP(address) === 6 ? endpointIPProblems(address) : ['must be a valid IPv6 address'];
    case 'FQDN': {
      const name = address.replace(/\.$/, '');
      const problems = isDNS1123Subdomain(name);
      if (problems.length === 0 && name.split('.').length < 2) return ['should be a domain with at least two segments separated by dots'];
      return problems;
    }
    default:
      return []; // unknown types are reported on addressType and not checked further
  }
}

function validateEndpoint(ep: EndpointSliceEndpoint, p: string, addressType: unknown): FieldCause[] {
  if (!isObj(ep)) return [invalid(p, ep, 'must be an object')];
  const causes: FieldCause[] = [];
  const ap = child(p, 'addresses');
  const addresses = arrayOf<string>(ep.addresses);
  if (addresses.length === 0) causes.push(required(ap, 'must contain at least 1 address'));
  else if (addresses.length > MAX_ADDRESSES) causes.push(tooMany(ap, addresses.length, MAX_ADDRESSES));
  addresses.forEach((a, i) => {
    if (typeof a !== 'string') return void causes.push(invalid(index(ap, i), a, 'must be a string'));
    causes.push(...invalidEach(index(ap, i), a, addressProblems(addressType, a)));
  });
  if (isSet(ep.nodeName)) causes.push(...invalidEach(child(p, 'nodeName'), ep.nodeName, isDNS1123Subdomain(ep.nodeName as string)));
  if (isSet(ep.hostname)) causes.push(...invalidEach(child(p, 'hostname'), ep.hostname, isDNS1123Label(ep.hostname as string)));
  if (isSet(ep.zone)) causes.push(...invalidEach(child(p, 'zone'), ep.zone, isValidLabelValue(ep.zone as string)));
  const zones = arrayOf<{ name: string }>(ep.hints?.forZones);
  const zp = child(child(p, 'hints'), 'forZones');
  if (zones.length > MAX_ZONE_HINTS) causes.push(tooMany(zp, zones.length, MAX_ZONE_HINTS));
  else {
    const seen = new Set<string>();
    zones.forEach((z, i) => {
      const np = child(index(zp, i), 'name');
      if (seen.has(z?.name)) causes.push(duplicate(np, z?.name));
      seen.add(z?.name);
      causes.push(...invalidEach(np, z?.name, isValidLabelValue(String(z?.name ?? ''))));
    });
  }
  return causes;
}

function validatePort(port: EndpointSlicePort, p: string, names: Set<string>): FieldCause[] {
  if (!isObj(port)) return [invalid(p, port, 'must be an object')];
  const causes: FieldCause[] = [];
  const name = port.name ?? '';
  if (name !== '') causes.push(...invalidEach(child(p, 'name'), name, isDNS1123Label(name)));
  if (names.has(name)) causes.push(duplicate(child(p, 'name'), name));
  names.add(name);
  if (!port.protocol) causes.push(required(child(p, 'protocol')));
  else if (!PROTOCOLS.includes(port.protocol)) causes.push(notSupported(child(p, 'protocol'), port.protocol, PROTOCOLS));
  if (isSet(port.port)) {
    if (typeof port.port !== 'number' || !Number.isInteger(port.port)) causes.push(invalid(child(p, 'port'), port.port, 'must be an integer'));
    else causes.push(...invalidEach(child(p, 'port'), port.port, isValidPortNum(port.port)));
  }
  if (isSet(port.appProtocol)) causes.push(...invalidEach(child(p, 'appProtocol'), port.appProtocol, isQualifiedName(String(port.appProtocol))));
  return causes;
}

export function validateEndpointSlice(slice: EndpointSlice): FieldCause[] {
  const causes: FieldCause[] = [];
  const addressType = slice.addressType as unknown;
  if (!addressType) causes.push(required('addressType'));
  else if (typeof addressType !== 'string' || !ADDRESS_TYPES.includes(addressType)) causes.push(notSupported('addressType', addressType, ADDRESS_TYPES));
  if (isSet(slice.endpoints) && !Array.isArray(slice.endpoints)) causes.push(invalid('endpoints', slice.endpoints, 'must be a list'));
  const endpoints = arrayOf<EndpointSliceEndpoint>(slice.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) causes.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  else endpoints.forEach((ep, i) => causes.push(...validateEndpoint(ep, index('endpoints', i), addressType)));
  if (isSet(slice.ports) && !Array.isArray(slice.ports)) causes.push(invalid('ports', slice.ports, 'must be a list'));
  const ports = arrayOf<EndpointSlicePort>(slice.ports);
  if (ports.length > MAX_PORTS) causes.push(tooMany('ports', ports.length, MAX_PORTS));
  else {
    const names = new Set<string>();
    ports.forEach((port, i) => causes.push(...validatePort(port, index('ports', i), names)));
  }
  return causes;
}

export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice): FieldCause[] {
  const causes = validateEndpointSlice(slice);
  if (slice.addressType !== old.addressType) causes.push(invalid('addressType', slice.addressType, IMMUTABLE));
  return causes;
}
