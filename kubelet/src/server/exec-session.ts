/**
 * One exec session over an upgraded WebSocket: runs the command with `docker exec` (hijacked
 * stream, Tty per request), relays stdin (channel 0), stdout/stderr (1/2; demultiplexed unless a
 * tty), terminal resizes (4) and, for v5, the client's stdin close (`[255, 0]`). When the command
 * ends it sends one Status on channel 3 (Success, NonZeroExitCode with the exit code, or a
 * Failure message) and closes the socket. A client that goes away ends the Docker stream.
 * Output is paused while the socket has too much unsent data.
 */
import type { Duplex, Readable } from 'node:stream';
import type Docker from 'dockerode';
import { WebSocket, type RawData } from 'ws';
import type { Logger } from '@mk8s/shared';
import { waitExecExit } from '../probes/exec-probe.js';
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
  type ExecRequest,
  type RemoteCommandProtocol,
  type TerminalSize,
} from './remotecommand.js';
import { execError, execExitFailure, execSuccess, type ExecStatus } from './status.js';

const HIGH_WATER = 1 << 20;

function rawToBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The daemon's own message of a dockerode error (`err.json.message`), else the error text. */
export function dockerErrorMessage(err: unknown): string {
  const json = (err as { json?: unknown } | null)?.json;
  if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') {
    return ((json as { message: string }).message).trim();
  }
  return err instanceof Error ? err.message : String(err);
}

export async function runExecSession(opts: {
  ws: WebSocket;
  protocol: RemoteCommandProtocol;
  docker: Docker;
  containerId: string;
  request: ExecRequest;
  logger: Logger;
}): Promise<void> {
  const { ws, request, logger } = opts;
  let stream: Duplex | undefined;
  let exec: Docker.Exec | undefined;
  let clientGone = false;
  let stdinClosed = false;
  const pendingStdin: Buffer[] = [];
  let pendingSize: TerminalSize | undefined;

  const send = (channel: number, data: Buffer | string, source?: Readable): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(encodeFrame(channel, data), () => {
      if (source?.isPaused() && ws.bufferedAmount < HIGH_WATER / 4) source.resume();
    });
    if (source && ws.bufferedAmount > HIGH_WATER) source.pause();
  };
  const finish = (status: ExecStatus): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(encodeFrame(CHANNEL_ERROR, JSON.stringify(status)), () => ws.close(1000));
  };
  const resize = (size: TerminalSize): void => {
    if (!exec || !request.tty) return;
    exec.resize({ h: size.height, w: size.width }).catch((err: unknown) => logger.debug({ err }, 'exec resize failed'));
  };

  ws.on('message', (raw) => {
    const frame = decodeFrame(rawToBuffer(raw));
    if (!frame) return;
    if (frame.channel === CHANNEL_STDIN && request.stdin && !stdinClosed) {
      if (stream) stream.write(frame.data);
      else pendingStdin.push(frame.data);
    } else if (frame.channel === CHANNEL_RESIZE) {
      const size = parseResize(frame.data);
      if (size && exec && stream) resize(size);
      else if (size) pendingSize = size;
    } else if (frame.channel === CHANNEL_CLOSE && opts.protocol === PROTOCOL_V5 && frame.data[0] === CHANNEL_STDIN) {
      stdinClosed = true;
      stream?.end();
    }
  });
  ws.on('close', () => {
    clientGone = true;
    stream?.destroy();
  });
  ws.on('error', (err) => logger.debug({ err }, 'exec websocket error'));

  // No initial empty frame (the old wsstream handshake): kubectl's websocket client logs
  // "Unknown stream id" for frames that arrive before it has set up its streams.
  try {
    exec = await opts.docker.getContainer(opts.containerId).exec({
      Cmd: request.command,
      AttachStdin: request.stdin,
      AttachStdout: request.stdout,
      AttachStderr: request.stderr,
      Tty: request.tty,
      ...(pendingSize ? { ConsoleSize: [pendingSize.height, pendingSize.width] as [number, number] } : {}),
    });
    const s = await exec.start({ hijack: true, stdin: request.stdin, Tty: request.tty });
    stream = s;
    if (clientGone) {
      s.destroy();
      return;
    }
    for (const chunk of pendingStdin.splice(0)) s.write(chunk);
    if (stdinClosed) s.end();
    if (pendingSize) resize(pendingSize);

    // The output is over when the last byte was relayed: the stream's end for a tty, the
    // demuxer's end otherwise; an aborted stream (closed without an end) or an error also ends it.
    const ended = new Promise<void>((resolve) => {
      s.on('close', () => {
        if (request.tty || !s.readableEnded) resolve();
      });
      s.on('error', (err) => {
        logger.debug({ err }, 'exec stream error');
        resolve();
      });
      if (request.tty) {
        s.on('end', resolve);
        s.on('data', (chunk: Buffer) => send(CHANNEL_STDOUT, chunk, s));
      } else {
        const demuxer = s.pipe(new DockerDemuxer());
        demuxer.on('data', (f: DockerFrame) => send(f.stream === 2 ? CHANNEL_STDERR : CHANNEL_STDOUT, f.data, demuxer));
        demuxer.on('end', resolve);
        demuxer.on('error', (err) => {
          logger.debug({ err }, 'exec demux error');
          resolve();
        });
      }
    });
    await ended;
    if (clientGone) return;
    const code = await waitExecExit(exec);
    if (code === null) finish(execError('could not read the exit code of the command'));
    else finish(code === 0 ? execSuccess() : execExitFailure(request.command, code));
  } catch (err) {
    logger.debug({ err, containerId: opts.containerId }, 'exec failed');
    finish(execError(dockerErrorMessage(err)));
  }
}
