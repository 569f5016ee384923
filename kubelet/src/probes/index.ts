/**
 * Probe runners for the kubelet's pod workers. `runProbe` runs one probe once against one
 * container and never throws: any error is a 'failure' with the reason as output. Named ports
 * are resolved through `target.ports` (container port name -> number). `ProbeState` turns the
 * stream of results into a verdict with thresholds and the initial delay; scheduling per period
 * stays with the caller.
 */
import type Docker from 'dockerode';
import type { Probe } from '@mk8s/shared';
import { runExecProbe, type ProbeOutcome } from './exec-probe.js';
import { runHttpProbe } from './http-probe.js';
import { runTcpProbe } from './tcp-probe.js';
import { probeTimings } from './probe-state.js';
import { errorText } from './output.js';

export { ProbeState, probeTimings, type ProbeResult, type ProbeVerdict, type ProbeTimings } from './probe-state.js';
export type { ProbeOutcome } from './exec-probe.js';

export interface ProbeTarget {
  docker: Docker;
  containerId: string;
  podIP?: string;
  /** container port names -> numbers, for probes naming their port */
  ports?: Record<string, number>;
}

/** A probe port as a number: numeric strings parse, names resolve through `ports`. */
export function resolveProbePort(port: number | string, ports: Record<string, number> = {}): number | string {
  if (typeof port === 'number') return port >= 1 && port <= 65535 ? port : `invalid port ${port}`;
  if (/^[0-9]+$/.test(port)) return resolveProbePort(Number(port), ports);
  const n = ports[port];
  return n === undefined ? `port "${port}" not found in the container's ports` : n;
}

export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
  const { timeoutMs } = probeTimings(probe);
  try {
    if (probe.exec) return await runExecProbe(target.docker, target.containerId, probe.exec.command ?? [], timeoutMs);
    const action = probe.httpGet ?? probe.tcpSocket;
    if (!action) return { result: 'failure', output: 'probe has no handler (exec, httpGet or tcpSocket)' };
    const port = resolveProbePort(action.port, target.ports);
    if (typeof port === 'string') return { result: 'failure', output: port };
    const host = action.host || target.podIP;
    if (!host) return { result: 'failure', output: 'pod has no IP yet' };
    if (probe.httpGet) {
      const g = probe.httpGet;
      return await runHttpProbe(
        { scheme: g.scheme ?? 'HTTP', host, port, path: g.path ?? '/', headers: g.httpHeaders ?? [] },
        timeoutMs,
      );
    }
    return await runTcpProbe(host, port, timeoutMs);
  } catch (err) {
    return { result: 'failure', output: `probe failed: ${errorText(err)}` };
  }
}
