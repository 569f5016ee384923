/**
 * Query-string helpers shared by the logs and exec endpoints: Go-style booleans
 * (1/t/true/0/f/false, any case) and non-negative integers. Repeated parameters take the first
 * value, except where a list is asked for.
 */
export type Query = Record<string, string | string[] | undefined>;

export function queryValues(q: Query, key: string): string[] {
  const v = q[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export const queryFirst = (q: Query, key: string): string | undefined => queryValues(q, key)[0];

/** A boolean parameter; absent is false, an unparsable value is an error string. */
export function queryBool(q: Query, key: string): boolean | string {
  const v = queryFirst(q, key);
  if (v === undefined) return false;
  if (/^(1|t|true)$/i.test(v)) return true;
  if (/^(0|f|false|)$/i.test(v)) return false;
  return `invalid value for ${key}: "${v}" is not a boolean`;
}

/** A non-negative integer parameter; absent is undefined, bad input is an error. */
export function queryInt(q: Query, key: string): number | undefined | Error {
  const v = queryFirst(q, key);
  if (v === undefined || v === '') return undefined;
  if (!/^-?[0-9]+$/.test(v)) return new Error(`invalid value for ${key}: "${v}" is not an integer`);
  const n = Number(v);
  if (n < 0) return new Error(`invalid value for ${key}: must be non-negative`);
  return n;
}

/** URLSearchParams -> Query (lists for repeated keys). */
export function searchParamsToQuery(params: URLSearchParams): Query {
  const q: Query = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    q[key] = all.length === 1 ? all[0] : all;
  }
  return q;
}
