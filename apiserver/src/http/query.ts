/** Typed access to the query parameters Kubernetes clients send. */
import { ApiError } from '@mk8s/shared';

export type Query = Record<string, string | string[] | undefined>;

export function str(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function int(q: Query, name: string): number | undefined {
  const v = str(q, name);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new ApiError(400, 'BadRequest', `invalid value for ${name}: ${JSON.stringify(v)}`);
  return n;
}

export function bool(q: Query, name: string): boolean {
  const v = str(q, name);
  return v === 'true' || v === '1' || v === '';
}

export function isDryRun(q: Query): boolean {
  const v = q.dryRun;
  const values = Array.isArray(v) ? v : v === undefined ? [] : [v];
  for (const d of values) {
    if (d !== 'All') throw new ApiError(400, 'BadRequest', `Invalid dryRun value: ${JSON.stringify(d)}: supported values: "All"`);
  }
  return values.length > 0;
}
