/**
 * Accept-header parsing for the two negotiations kubectl relies on: aggregated discovery
 * (`application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`) and server-side
 * Tables (`application/json;as=Table;v=v1;g=meta.k8s.io`). Like the real apiserver we walk
 * the media ranges in preference order (q, then position) and take the first one we can
 * serve; parameter order inside a range does not matter. Pure functions, no fastify.
 */

export interface MediaRange {
  type: string; // e.g. 'application/json', lower-cased
  params: Record<string, string>; // lower-cased keys, values as sent (unquoted)
  q: number;
}

/** Split an Accept header into media ranges, best first (stable for equal q). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const ranges: (MediaRange & { index: number })[] = [];
  header.split(',').forEach((part, index) => {
    const [rawType, ...rawParams] = part.split(';');
    const type = (rawType ?? '').trim().toLowerCase();
    if (!type) return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
      else params[key] = value;
    }
    if (q > 0) ranges.push({ type, params, q, index });
  });
  ranges.sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.map(({ type, params, q }) => ({ type, params, q }));
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

function isPlainJson(r: MediaRange): boolean {
  return JSON_TYPES.has(r.type) && Object.keys(r.params).every((k) => k === 'charset' || k === 'pretty' || k === 'stream');
}

export type DiscoveryFormat = 'plain' | 'v2' | 'v2beta1';

/**
 * Which discovery document to answer with. Aggregated only when a range names it exactly
 * (`g=apidiscovery.k8s.io`, `as=APIGroupDiscoveryList`, `v=v2|v2beta1`, JSON); anything else
 * we can serve (plain JSON, wildcards, no header) means the legacy document.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'plain';
  for (const r of ranges) {
    if (isPlainJson(r)) return 'plain';
    if (r.type !== 'application/json') continue;
    const { g, v, as } = r.params;
    if (g === 'apidiscovery.k8s.io' && as === 'APIGroupDiscoveryList' && (v === 'v2' || v === 'v2beta1')) return v;
  }
  return 'plain';
}

export const AGGREGATED_CONTENT_TYPE: Record<'v2' | 'v2beta1', string> = {
  v2: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  v2beta1: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
};

export type TableVersion = 'v1' | 'v1beta1';

/**
 * The Table version the client asked for, or undefined when the first servable range is
 * plain JSON (or nothing servable asks for a Table). kubectl sends
 * `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`.
 */
export function negotiateTable(accept: string | undefined): TableVersion | undefined {
  for (const r of parseAccept(accept)) {
    if (isPlainJson(r)) return undefined;
    if (r.type !== 'application/json') continue;
    const { g, v, as } = r.params;
    if (as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) return v;
  }
  return undefined;
}
