/**
 * The client side of a remotecommand session, whatever carries it: input events (stdin data and
 * end, terminal resizes, the client going away) and output (stdout, stderr, the final Status).
 * `websocketChannels` speaks channel.k8s.io v4/v5 over one WebSocket (first byte = channel);
 * spdy-exec.ts provides the same over SPDY streams. `source` lets a transport pause the producer
 * while too much output is unsent.
 */
import type { Readable } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import type { Logger } from '@mk8s/shared';
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
import type { ExecStatus } from './status.js';

export interface ClientHandlers {
  stdin(data: Buffer): void;
  stdinEnd(): void;
  resize(size: TerminalSize): void;
  gone(): void;
}

export interface ClientChannels {
  /** starts delivering client input to `h` */
  listen(h: ClientHandlers): void;
  stdout(data: Buffer, source: Readable): void;
  stderr(data: Buffer, source: Readable): void;
  /** sends the final Status and closes the session */
  finish(status: ExecStatus): void;
}

const HIGH_WATER = 1 << 20;

function rawToBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function websocketChannels(ws: WebSocket, protocol: RemoteCommandProtocol, logger: Logger): ClientChannels {
  const send = (channel: number, data: Buffer, source: Readable): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(encodeFrame(channel, data), () => {
      if (source.isPaused() && ws.bufferedAmount < HIGH_WATER / 4) source.resume();
    });
    if (ws.bufferedAmount > HIGH_WATER) source.pause();
  };
  return {
    listen(h) {
      ws.on('message', (raw) => {
        const frame = decodeFrame(rawToBuffer(raw));
        if (!frame) return;
        if (frame.channel === CHANNEL_STDIN) h.stdin(frame.data);
        else if (frame.channel === CHANNEL_RESIZE) {
          const size = parseResize(frame.data);
          if (size) h.resize(size);
        } else if (frame.channel === CHANNEL_CLOSE && protocol === PROTOCOL_V5 && frame.data[0] === CHANNEL_STDIN) {
          h.stdinEnd();
        }
      });
      ws.on('close', () => h.gone());
      ws.on('error', (err) => logger.debug({ err }, 'websocket error'));
    },
    stdout: (data, source) => send(CHANNEL_STDOUT, data, source),
    stderr: (data, source) => send(CHANNEL_STDERR, data, source),
    finish(status) {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(encodeFrame(CHANNEL_ERROR, JSON.stringify(status)), () => ws.close(1000));
    },
  };
}
