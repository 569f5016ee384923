/**
 * discovery.k8s.io/v1 defaults (SetDefaults_EndpointPort): every slice port gets a name
 * ('' when absent) and a protocol (TCP). Mutates in place; idempotent.
 */
import type { EndpointSlice } from '@mk8s/shared';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const port of Array.isArray(slice.ports) ? slice.ports : []) {
    if (!isObj(port)) continue;
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}
