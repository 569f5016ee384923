/**
 * TCP socket probe: succeeds when a TCP connection to host:port is established within the
 * timeout; the connection is closed at once. Never throws.
 */
import net from 'node:net';
import { errorText } from './output.js';
import type { ProbeOutcome } from './exec-probe.js';

export function runTcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const addr = `${host}:${port}`;
    const finish = (o: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const socket = net.connect({ host, port });
    const timer = setTimeout(
      () => finish({ result: 'failure', output: `dial tcp ${addr}: i/o timeout (${timeoutMs}ms)` }),
      timeoutMs,
    );
    socket.on('connect', () => finish({ result: 'success', output: '' }));
    socket.on('error', (err) => finish({ result: 'failure', output: `dial tcp ${addr}: ${errorText(err)}` }));
  });
}
