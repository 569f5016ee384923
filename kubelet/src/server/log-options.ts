/**
 * Parsing the containerLogs query (`follow`, `tailLines`, `timestamps`, `previous`,
 * `sinceSeconds`, `sinceTime`, `limitBytes`) and turning it into Docker logs options. Pure.
 */
import { queryBool, queryFirst, queryInt, type Query } from './query.js';

export interface LogRequest {
  follow: boolean;
  timestamps: boolean;
  previous: boolean;
  tailLines?: number;
  /** seconds since epoch; logs older than this are skipped */
  since?: number;
  limitBytes?: number;
}

export interface DockerLogsOptions {
  stdout: true;
  stderr: true;
  follow: boolean;
  timestamps: boolean;
  tail?: number;
  since?: number;
}

/** Parses the query at time `nowMs`; returns an error message for invalid input. */
export function parseLogRequest(q: Query, nowMs: number): LogRequest | string {
  const flags: Record<'follow' | 'timestamps' | 'previous', boolean> = { follow: false, timestamps: false, previous: false };
  for (const key of ['follow', 'timestamps', 'previous'] as const) {
    const b = queryBool(q, key);
    if (typeof b === 'string') return b;
    flags[key] = b;
  }
  const req: LogRequest = { ...flags };
  for (const key of ['tailLines', 'sinceSeconds', 'limitBytes'] as const) {
    const n = queryInt(q, key);
    if (n instanceof Error) return n.message;
    if (n === undefined) continue;
    if (key === 'tailLines') req.tailLines = n;
    if (key === 'limitBytes') {
      if (n === 0) return 'invalid value for limitBytes: must be greater than 0';
      req.limitBytes = n;
    }
    if (key === 'sinceSeconds') {
      if (n === 0) return 'invalid value for sinceSeconds: must be greater than 0';
      req.since = Math.floor(nowMs / 1000) - n;
    }
  }
  const sinceTime = queryFirst(q, 'sinceTime');
  if (sinceTime) {
    if (req.since !== undefined) return 'at most one of sinceTime or sinceSeconds may be specified';
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) return `invalid value for sinceTime: "${sinceTime}" is not an RFC3339 time`;
    req.since = Math.floor(t / 1000);
  }
  return req;
}

export function dockerLogsOptions(req: LogRequest): DockerLogsOptions {
  const o: DockerLogsOptions = { stdout: true, stderr: true, follow: req.follow, timestamps: req.timestamps };
  if (req.tailLines !== undefined) o.tail = req.tailLines;
  if (req.since !== undefined) o.since = req.since;
  return o;
}
