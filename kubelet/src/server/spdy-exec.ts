/**
 * Exec and attach over SPDY/3.1 (`X-Stream-Protocol-Version: v4.channel.k8s.io`, what kubectl
 * up to 1.29 speaks): the client opens one stream per channel, named by its `streamtype`
 * header (error always; stdin, stdout, stderr, resize as the request asks). Once all expected
 * streams are open the session starts with ClientChannels over them; the final Status is
 * written on the error stream, every stream is half-closed and the connection ends. Streams not
 * all open within `timeoutMs` end the connection.
 */
import type { Duplex } from 'node:stream';
import type { Logger } from '@mk8s/shared';
import type { ClientChannels } from './client-channels.js';
import type { StreamFlags } from './stream-session.js';
import { parseResize } from './remotecommand.js';
import { SpdySession, type SpdyStream } from './spdy/session.js';

export const SPDY_REMOTECOMMAND_PROTOCOL = 'v4.channel.k8s.io';

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

export function expectedStreams(flags: StreamFlags): StreamType[] {
  const want: StreamType[] = ['error'];
  if (flags.stdin) want.push('stdin');
  if (flags.stdout) want.push('stdout');
  if (flags.stderr && !flags.tty) want.push('stderr');
  if (flags.tty) want.push('resize');
  return want;
}

/** Splits a stream of concatenated JSON objects (`{...}{...}`) into complete ones. */
export function takeJsonObjects(buffer: string): { objects: string[]; rest: string } {
  const objects: string[] = [];
  let rest = buffer;
  for (let end = rest.indexOf('}'); end >= 0; end = rest.indexOf('}')) {
    objects.push(rest.slice(0, end + 1).trim());
    rest = rest.slice(end + 1);
  }
  return { objects, rest };
}

function spdyChannels(streams: Map<StreamType, SpdyStream>, session: SpdySession): ClientChannels {
  return {
    listen(h) {
      const stdin = streams.get('stdin');
      stdin?.incoming.on('data', (c: Buffer) => h.stdin(c));
      stdin?.incoming.on('end', () => h.stdinEnd());
      let pending = '';
      streams.get('resize')?.incoming.on('data', (c: Buffer) => {
        const { objects, rest } = takeJsonObjects(pending + c.toString('utf8'));
        pending = rest;
        for (const o of objects) {
          const size = parseResize(Buffer.from(o));
          if (size) h.resize(size);
        }
      });
      void session.done.then(() => h.gone());
    },
    stdout: (data) => streams.get('stdout')?.write(data),
    stderr: (data) => streams.get('stderr')?.write(data),
    finish(status) {
      streams.get('error')?.write(Buffer.from(JSON.stringify(status)));
      for (const s of streams.values()) s.end();
      void session.shutdown();
    },
  };
}

export function serveSpdyRemoteCommand(opts: {
  transport: Duplex;
  flags: StreamFlags;
  logger: Logger;
  start: (channels: ClientChannels) => void;
  timeoutMs?: number;
}): SpdySession {
  const want = expectedStreams(opts.flags);
  const streams = new Map<StreamType, SpdyStream>();
  let started = false;
  const session = new SpdySession(
    opts.transport,
    (stream) => {
      const type = stream.headers.streamtype as StreamType | undefined;
      if (!type || !want.includes(type)) return `unexpected stream type "${stream.headers.streamtype ?? ''}"`;
      if (streams.has(type)) return `duplicate stream type "${type}"`;
      streams.set(type, stream);
      if (!started && want.every((t) => streams.has(t))) {
        started = true;
        clearTimeout(timer);
        // Start after this stream's SYN_REPLY is queued, so replies precede any output.
        setImmediate(() => opts.start(spdyChannels(streams, session)));
      }
      return undefined;
    },
    opts.logger,
  );
  const timer = setTimeout(() => {
    opts.logger.debug({ have: [...streams.keys()], want }, 'timed out waiting for client streams');
    session.close();
  }, opts.timeoutMs ?? 30_000);
  timer.unref();
  void session.done.then(() => clearTimeout(timer));
  return session;
}
