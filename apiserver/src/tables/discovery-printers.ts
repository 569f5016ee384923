/**
 * Rows for discovery.k8s.io/v1 EndpointSlice, as kubectl's printer shows them:
 * NAME, ADDRESSTYPE, PORTS (port numbers, a port's name when it has no number, `*` for
 * neither), ENDPOINTS (addresses), AGE. Lists show at most three items then `+ N more...`;
 * an empty list prints `<unset>`.
 */
import type { EndpointSlice } from '@mk8s/shared';
import { translateTimestampSince } from './duration.js';
import { ageColumn, column, nameColumn } from './format.js';
import type { KindPrinter } from './types.js';

const MAX_LISTED = 3;

/** `a,b,c + 2 more...`, or `<unset>` for an empty list. */
export function listWithMore(items: string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(',');
  if (items.length > MAX_LISTED) return `${shown} + ${items.length - MAX_LISTED} more...`;
  return shown === '' ? '<unset>' : shown;
}

export function formatSlicePorts(ports: EndpointSlice['ports']): string {
  return listWithMore((ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*'))));
}

export function formatSliceEndpoints(endpoints: EndpointSlice['endpoints']): string {
  return listWithMore((endpoints ?? []).flatMap((e) => e.addresses ?? []));
}

export const endpointSlicePrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'),
    ageColumn(),
  ],
  print(obj, now) {
    const s = obj as EndpointSlice;
    return { cells: [s.metadata.name ?? '', String(s.addressType ?? ''), formatSlicePorts(s.ports), formatSliceEndpoints(s.endpoints), translateTimestampSince(s.metadata.creationTimestamp, now)] };
  },
};
