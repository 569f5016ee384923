/**
 * One remotecommand session, for exec and attach alike and over any client transport
 * (client-channels.ts): `open` attaches to the process (a Docker hijacked stream), then this
 * relays stdin (buffered until attached), stdout/stderr (demultiplexed unless a tty), terminal
 * resizes and the client's stdin end. When the output ends it sends the Status from
 * `finalStatus()` and the session closes; an `open` error becomes a Failure Status. A client
 * that goes away ends the Docker stream.
 */
import type { Duplex } from 'node:stream';
import type { Logger } from '@mk8s/shared';
import type { ClientChannels } from './client-channels.js';
import { DockerDemuxer, type DockerFrame } from './demux.js';
import type { TerminalSize } from './remotecommand.js';
import { execError, type ExecStatus } from './status.js';

export interface StreamFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A process attached through Docker. */
export interface Attached {
  stream: Duplex;
  /** whether the stream is raw (a tty) rather than Docker-multiplexed */
  tty: boolean;
  resize(size: TerminalSize): Promise<void>;
  /** the Status to report once the output has ended */
  finalStatus(): Promise<ExecStatus>;
}

/** The daemon's own message of a dockerode error (`err.json.message`), else the error text. */
export function dockerErrorMessage(err: unknown): string {
  const json = (err as { json?: unknown } | null)?.json;
  if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message.trim();
  }
  return err instanceof Error ? err.message : String(err);
}

export async function runStreamSession(opts: {
  channels: ClientChannels;
  flags: StreamFlags;
  /** attaches to the process; `initialSize` is the last resize received so far */
  open: (initialSize: TerminalSize | undefined) => Promise<Attached>;
  logger: Logger;
}): Promise<void> {
  const { channels, flags, logger } = opts;
  let attached: Attached | undefined;
  let clientGone = false;
  let stdinClosed = false;
  const pendingStdin: Buffer[] = [];
  let pendingSize: TerminalSize | undefined;

  const resize = (a: Attached, size: TerminalSize): void => {
    if (!a.tty) return;
    a.resize(size).catch((err: unknown) => logger.debug({ err }, 'resize failed'));
  };

  channels.listen({
    stdin(data) {
      if (!flags.stdin || stdinClosed) return;
      if (attached) attached.stream.write(data);
      else pendingStdin.push(data);
    },
    stdinEnd() {
      stdinClosed = true;
      attached?.stream.end();
    },
    resize(size) {
      if (attached) resize(attached, size);
      else pendingSize = size;
    },
    gone() {
      clientGone = true;
      attached?.stream.destroy();
    },
  });
  const finish = (status: ExecStatus): void => channels.finish(status);

  try {
    const a = await opts.open(pendingSize);
    const s = a.stream;
    if (clientGone) {
      s.destroy();
      return;
    }
    attached = a;
    for (const chunk of pendingStdin.splice(0)) s.write(chunk);
    if (stdinClosed) s.end();
    if (pendingSize) resize(a, pendingSize);

    // The output is over when the last byte was relayed: the stream's end for a tty, the
    // demuxer's end otherwise; an aborted stream (closed without an end) or an error also ends it.
    await new Promise<void>((resolve) => {
      s.on('close', () => {
        if (a.tty || !s.readableEnded) resolve();
      });
      s.on('error', (err) => {
        logger.debug({ err }, 'docker stream error');
        resolve();
      });
      if (a.tty) {
        s.on('end', resolve);
        s.on('data', (chunk: Buffer) => channels.stdout(chunk, s));
      } else {
        const demuxer = s.pipe(new DockerDemuxer());
        demuxer.on('data', (f: DockerFrame) => (f.stream === 2 ? channels.stderr : channels.stdout)(f.data, demuxer));
        demuxer.on('end', resolve);
        demuxer.on('error', (err) => {
          logger.debug({ err }, 'demux error');
          resolve();
        });
      }
    });
    if (clientGone) return;
    finish(await a.finalStatus());
  } catch (err) {
    logger.debug({ err }, 'stream session failed');
    finish(execError(dockerErrorMessage(err)));
  }
}
