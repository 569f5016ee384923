/**
 * HTTP GET probe: requests `scheme://host:port/path` (host defaults to the pod IP) with the
 * probe's headers and succeeds on a status code in [200, 400). HTTPS certificates are not
 * verified (as the kubelet does). The body (bounded) is the output on success. Never throws.
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

/** Whether an HTTP status code counts as a passing probe. */
export const isProbeSuccessCode = (code: number): boolean => code >= 200 && code < 400;

export function runHttpProbe(target: HttpProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (o: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(o);
    };
    const headers: Record<string, string> = { 'User-Agent': PROBE_USER_AGENT, Accept: '*/*' };
    for (const h of target.headers) headers[h.name] = h.value;
    const path = target.path.startsWith('/') ? target.path : `/${target.path}`;
    const client = target.scheme === 'HTTPS' ? https : http;
    const url = `${target.scheme.toLowerCase()}://${target.host}:${target.port}${path}`;
    const req = client.request(
      { host: target.host, port: target.port, path, method: 'GET', headers, agent: false, rejectUnauthorized: false },
      (res) => {
        const body = new BoundedOutput();
        res.on('data', (c: Buffer) => body.write(c));
        res.on('error', (err) => finish({ result: 'failure', output: `Get "${url}": ${errorText(err)}` }));
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          finish(
            isProbeSuccessCode(code)
              ? { result: 'success', output: body.text() }
              : { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` },
          );
        });
      },
    );
    const timer = setTimeout(
      () => finish({ result: 'failure', output: `Get "${url}": context deadline exceeded (timeout ${timeoutMs}ms)` }),
      timeoutMs,
    );
    req.on('error', (err) => finish({ result: 'failure', output: `Get "${url}": ${errorText(err)}` }));
    req.end();
  });
}
