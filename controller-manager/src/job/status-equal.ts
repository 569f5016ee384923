/** Deep equality of two Job statuses as JSON (key order ignored), to skip no-op status writes. */
import type { JobStatus } from '@mk8s/shared';

function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canon(x)]),
    );
  }
  return v;
}

export function statusEqual(a: JobStatus | undefined, b: JobStatus | undefined): boolean {
  return JSON.stringify(canon(a ?? {})) === JSON.stringify(canon(b ?? {}));
}
