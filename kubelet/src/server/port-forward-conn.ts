/**
 * One forwarded connection: dials podIP:port and joins the socket to a SPDY data stream, closing
 * the way the CRI runtimes do (containerd's portForward), so that no upload is cut short:
 *  - the client's FIN half-closes the pod socket; the pod may go on answering until it ends.
 *  - the pod's FIN is not passed on at once. kubectl 1.32+ resets the data stream as soon as its
 *    copy from the pod ends, throwing away whatever it has not sent yet; so while the client is
 *    still sending, the data stream stays open until the client ends too, or sends nothing for
 *    `graceMs`.
 *  - a reset from the client ends the pod socket once what was received has reached it (the pod
 *    gets `graceMs` to close before the socket is destroyed).
 *  - both streams are half-closed when the pod socket closes. A failed dial, or an error while
 *    the pod was still talking, is reported as text on the error stream.
 */
import net from 'node:net';
import type { Logger } from '@mk8s/shared';
import type { SpdyStream } from './spdy/session.js';

/** How long one side may stay quiet after the other has ended (containerd waits 1s). */
export const HALF_CLOSE_GRACE_MS = 1_000;

export interface ForwardOptions {
  host: string;
  port: number;
  /** for the error text: "error forwarding port P to pod <podName>: ..." */
  podName: string;
  error: SpdyStream;
  data: SpdyStream;
  logger: Logger;
  graceMs?: number;
}

export function forwardConnection(o: ForwardOptions): net.Socket {
  const { data, error, port, logger } = o;
  const graceMs = o.graceMs ?? HALF_CLOSE_GRACE_MS;
  // Half-open: a pod that stops sending (FIN) may still receive what the client uploads.
  const sock = net.connect({ host: o.host, port, allowHalfOpen: true });
  let podEnded = false;
  let clientEnded = false;
  let clientReset = false;
  let finished = false;
  let grace: NodeJS.Timeout | undefined;

  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(grace);
    data.end();
    error.end();
    sock.destroy();
  };
  const armGrace = (): void => {
    clearTimeout(grace);
    grace = setTimeout(() => {
      logger.debug({ port, podEnded, clientEnded, clientReset }, 'port forward half-close grace expired');
      finish();
    }, graceMs);
  };

  sock.on('connect', () => logger.debug({ port }, 'port forward connected'));
  sock.on('error', (err) => {
    if (podEnded || clientReset) logger.debug({ port, err }, 'port forward socket error after close');
    else error.write(Buffer.from(`error forwarding port ${port} to pod ${o.podName}: ${err.message}`));
    finish();
  });
  sock.on('data', (c: Buffer) => data.write(c));
  sock.on('end', () => {
    podEnded = true;
    // The pod's FIN reaches the client when the socket closes; until then the upload goes on.
    if (!clientEnded && !clientReset) armGrace();
  });
  sock.on('close', finish);

  data.incoming.on('data', (c: Buffer) => {
    if (!sock.writableEnded) sock.write(c);
    if (podEnded && !clientEnded && !clientReset) armGrace();
  });
  // After a reset the incoming stream still ends (see SpdySession), once what came before it is out.
  data.incoming.on('end', () => {
    if (!clientReset) {
      clientEnded = true;
      clearTimeout(grace);
    }
    sock.end();
  });
  data.on('reset', () => {
    if (finished || clientEnded) return;
    clientReset = true;
    armGrace();
    if (data.incoming.destroyed) sock.end(); // the session itself went away
  });
  return sock;
}
