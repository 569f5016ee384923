/**
 * Port forwarding (`portforward.k8s.io` over SPDY/3): for each forwarded connection the client
 * opens an "error" and a "data" stream with the same `requestid` and a `port` header; once both
 * are here the kubelet dials podIP:port and joins it to the data stream (port-forward-conn.ts:
 * FIN travels both ways, the pod's only once the upload is over). A failed dial is reported as
 * text on the error stream. A lone stream is reset after `pairTimeoutMs`.
 */
import type { Logger } from '@mk8s/shared';
import { forwardConnection } from './port-forward-conn.js';
import { RST_REFUSED_STREAM } from './spdy/frames.js';
import { SpdySession, type SpdyStream } from './spdy/session.js';
import type { Duplex } from 'node:stream';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** The WebSocket subprotocol of kubectl 1.31+, carrying the SPDY byte stream in binary messages. */
export const PORT_FORWARD_WS_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** Why a stream's headers are unacceptable, or undefined. */
export function checkForwardHeaders(h: Record<string, string>): string | undefined {
  const port = h.port ?? '';
  if (!/^[0-9]+$/.test(port) || Number(port) < 1 || Number(port) > 65535) return `invalid port header "${port}"`;
  if (h.streamtype !== 'error' && h.streamtype !== 'data') return `invalid stream type "${h.streamtype ?? ''}"`;
  return undefined;
}

export function servePortForward(opts: {
  transport: Duplex;
  podIP: string;
  podName: string;
  logger: Logger;
  pairTimeoutMs?: number;
  /** see forwardConnection */
  halfCloseGraceMs?: number;
}): SpdySession {
  const { podIP, logger } = opts;
  const pairs = new Map<string, Pair>();

  return new SpdySession(
    opts.transport,
    (stream) => {
      const bad = checkForwardHeaders(stream.headers);
      if (bad) return bad;
      const key = `${stream.headers.requestid ?? ''}/${stream.headers.port}`;
      const pair = pairs.get(key) ?? {
        timer: setTimeout(() => {
          pairs.delete(key);
          pair.error?.reset(RST_REFUSED_STREAM);
          pair.data?.reset(RST_REFUSED_STREAM);
        }, opts.pairTimeoutMs ?? 30_000).unref(),
      };
      pairs.set(key, pair);
      if (stream.headers.streamtype === 'error') pair.error = stream;
      else pair.data = stream;
      if (pair.error && pair.data) {
        clearTimeout(pair.timer);
        pairs.delete(key);
        forwardConnection({
          host: podIP,
          port: Number(stream.headers.port),
          podName: opts.podName,
          error: pair.error,
          data: pair.data,
          logger,
          graceMs: opts.halfCloseGraceMs,
        });
      }
      return undefined;
    },
    logger,
  );
}
