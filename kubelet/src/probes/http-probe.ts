/**
 * HTTP GET probe: requests `scheme://host:port/path` (host defaults to the pod IP) with the
 * probe's headers and succeeds on a final status code in [200, 400). Like the kubelet it follows
 * up to 10 redirects on the same host; a redirect to another host ends the probe as a success
 * ("Probe terminated redirects"). HTTPS certificates are not verified. One deadline covers the
 * whole run. The body (bounded) is the output on success. Never throws.
 */
import http from 'node:http';
import https from 'node:https';
import { BoundedOutput, errorText } from './output.js';
import type { ProbeOutcome } from './exec-probe.js';

export interface HttpProbeTarget {
  scheme: 'HTTP' | 'HTTPS';
  host: string;
  port: number;
  path: string;
  headers: { name: string; value: string }[];
}

export const PROBE_USER_AGENT = 'kube-probe/1.33';
export const MAX_PROBE_REDIRECTS = 10;

/** Whether an HTTP status code counts as a passing probe. */
export const isProbeSuccessCode = (code: number): boolean => code >= 200 && code < 400;

export type RedirectDecision = { follow: URL } | 'done' | 'other-host';

/** What to do with a response: follow a same-host redirect, stop at another host, or judge it. */
export function redirectDecision(current: URL, code: number, location: string | undefined): RedirectDecision {
  if (![301, 302, 303, 307, 308].includes(code) || !location) return 'done';
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    return 'done';
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return 'done';
  return next.hostname === current.hostname ? { follow: next } : 'other-host';
}

export function probeURL(t: HttpProbeTarget): URL {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  const path = t.path.startsWith('/') ? t.path : `/${t.path}`;
  return new URL(`${t.scheme.toLowerCase()}://${host}:${t.port}${path}`);
}

interface Response {
  code: number;
  location: string | undefined;
  body: string;
}

function getOnce(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { headers, agent: false, rejectUnauthorized: false, signal }, (res) => {
      const body = new BoundedOutput();
      res.on('data', (c: Buffer) => body.write(c));
      res.on('error', reject);
      res.on('end', () => resolve({ code: res.statusCode ?? 0, location: res.headers.location, body: body.text() }));
    });
    req.on('error', reject);
  });
}

export async function runHttpProbe(target: HttpProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const headers: Record<string, string> = { 'User-Agent': PROBE_USER_AGENT, Accept: '*/*' };
  for (const h of target.headers) headers[h.name] = h.value;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  let url = probeURL(target);
  try {
    for (let redirects = 0; ; redirects++) {
      const res = await getOnce(url, headers, deadline.signal);
      const next = redirectDecision(url, res.code, res.location);
      if (next === 'other-host') return { result: 'success', output: 'Probe terminated redirects' };
      if (next === 'done') {
        return isProbeSuccessCode(res.code)
          ? { result: 'success', output: res.body }
          : { result: 'failure', output: `HTTP probe failed with statuscode: ${res.code}` };
      }
      if (redirects >= MAX_PROBE_REDIRECTS) {
        return { result: 'failure', output: `Get "${next.follow.href}": stopped after ${MAX_PROBE_REDIRECTS} redirects` };
      }
      url = next.follow;
    }
  } catch (err) {
    const why = deadline.signal.aborted ? `context deadline exceeded (timeout ${timeoutMs}ms)` : errorText(err);
    return { result: 'failure', output: `Get "${url.href}": ${why}` };
  } finally {
    clearTimeout(timer);
  }
}
