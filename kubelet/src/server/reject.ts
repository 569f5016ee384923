/** Answering a refused upgrade: an HTTP error with a Status body, then the connection is closed. */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Status } from '@mk8s/shared';

/** Writes an HTTP error answer on a not-yet-upgraded socket and closes it. */
export function rejectUpgrade(socket: Duplex, status: Status): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(status);
  const head = [
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  socket.once('finish', () => socket.destroy());
  setTimeout(() => socket.destroy(), 5_000).unref();
}
