/**
 * One remotecommand session over an upgraded WebSocket, for exec and attach alike: `open`
 * attaches to the process (a Docker hijacked stream), then this relays stdin (channel 0),
 * stdout/stderr (1/2; demultiplexed unless a tty), terminal resizes (4) and, for v5, the
 * client's stdin close (`[255, 0]`). When the output ends it sends the Status from
 * `finalStatus()` on channel 3 and closes the socket; an `open` error becomes a Failure Status.
 * A client that goes away ends the Docker stream. Output pauses while the socket has too much
 * unsent data.
 */
import type { Duplex, Readable } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import type { Logger } from '@mk8s/shared';
import { DockerDemuxer, type DockerFrame } from './demux.js';
import {
  CHANNEL_CLOSE,
  CHANNEL_ERROR,
  CHANNEL_RESIZE,
  CHANNEL_STDERR,
  CHANNEL_STDIN,
  CHANNEL_STDOUT,
  PROTOCOL_V5,
  decodeFrame,
  encodeFrame,
  parseResize,
  type RemoteCommandProtocol,
  type TerminalSize,
} from './remotecommand.js';
import { execError, type ExecStatus } from './status.js';

const HIGH_WATER = 1 << 20;

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

function rawToBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export async function runStreamSession(opts: {
  ws: WebSocket;
  protocol: RemoteCommandProtocol;
  flags: StreamFlags;
  /** attaches to the process; `initialSize` is the last resize received so far */
  open: (initialSize: TerminalSize | undefined) => Promise<Attached>;
  logger: Logger;
}): Promise<void> {
  const { ws, flags, logger } = opts;
  let attached: Attached | undefined;
  let clientGone = false;
  let stdinClosed = false;
  const pendingStdin: Buffer[] = [];
  let pendingSize: TerminalSize | undefined;

  const send = (channel: number, data: Buffer, source: Readable): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(encodeFrame(channel, data), () => {
      if (source.isPaused() && ws.bufferedAmount < HIGH_WATER / 4) source.resume();
    });
    if (ws.bufferedAmount > HIGH_WATER) source.pause();
  };
  const finish = (status: ExecStatus): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(encodeFrame(CHANNEL_ERROR, JSON.stringify(status)), () => ws.close(1000));
  };
  const resize = (a: Attached, size: TerminalSize): void => {
    if (!a.tty) return;
    a.resize(size).catch((err: unknown) => logger.debug({ err }, 'resize failed'));
  };

  ws.on('message', (raw) => {
    const frame = decodeFrame(rawToBuffer(raw));
    if (!frame) return;
    if (frame.channel === CHANNEL_STDIN && flags.stdin && !stdinClosed) {
      if (attached) attached.stream.write(frame.data);
      else pendingStdin.push(frame.data);
    } else if (frame.channel === CHANNEL_RESIZE) {
      const size = parseResize(frame.data);
      if (size && attached) resize(attached, size);
      else if (size) pendingSize = size;
    } else if (frame.channel === CHANNEL_CLOSE && opts.protocol === PROTOCOL_V5 && frame.data[0] === CHANNEL_STDIN) {
      stdinClosed = true;
      attached?.stream.end();
    }
  });
  ws.on('close', () => {
    clientGone = true;
    attached?.stream.destroy();
  });
  ws.on('error', (err) => logger.debug({ err }, 'websocket error'));

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
        s.on('data', (chunk: Buffer) => send(CHANNEL_STDOUT, chunk, s));
      } else {
        const demuxer = s.pipe(new DockerDemuxer());
        demuxer.on('data', (f: DockerFrame) => send(f.stream === 2 ? CHANNEL_STDERR : CHANNEL_STDOUT, f.data, demuxer));
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
