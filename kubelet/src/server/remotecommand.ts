/**
 * The Kubernetes remotecommand WebSocket protocol (channel.k8s.io, v4 and v5), pure parts:
 * subprotocol choice, binary frames (first byte = channel), resize messages and the exec query.
 * v5 adds channel 255 "close stream" (`[255, 0]` = the client closed stdin).
 */
import { queryBool, queryValues, type Query } from './query.js';

export const PROTOCOL_V5 = 'v5.channel.k8s.io';
export const PROTOCOL_V4 = 'v4.channel.k8s.io';
/** In order of preference. */
export const SUPPORTED_PROTOCOLS = [PROTOCOL_V5, PROTOCOL_V4] as const;
export type RemoteCommandProtocol = (typeof SUPPORTED_PROTOCOLS)[number];

export const CHANNEL_STDIN = 0;
export const CHANNEL_STDOUT = 1;
export const CHANNEL_STDERR = 2;
export const CHANNEL_ERROR = 3;
export const CHANNEL_RESIZE = 4;
export const CHANNEL_CLOSE = 255;

/** The best protocol we support from a `Sec-WebSocket-Protocol` header (comma-separated). */
export function selectProtocol(header: string | string[] | undefined): RemoteCommandProtocol | undefined {
  const offered = new Set(
    (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((p) => p.trim()).filter(Boolean),
  );
  return SUPPORTED_PROTOCOLS.find((p) => offered.has(p));
}

export function encodeFrame(channel: number, data: Buffer | string = Buffer.alloc(0)): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), payload]);
}

export function decodeFrame(frame: Buffer): { channel: number; data: Buffer } | undefined {
  if (frame.length === 0) return undefined;
  return { channel: frame[0]!, data: frame.subarray(1) };
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** A resize message `{"Width":80,"Height":24}`, or undefined when malformed. */
export function parseResize(data: Buffer): TerminalSize | undefined {
  try {
    const v: unknown = JSON.parse(data.toString('utf8'));
    if (typeof v !== 'object' || v === null) return undefined;
    const { Width, Height } = v as Record<string, unknown>;
    if (typeof Width !== 'number' || typeof Height !== 'number' || Width < 0 || Height < 0) return undefined;
    return { width: Width, height: Height };
  } catch {
    return undefined;
  }
}

export interface ExecRequest {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export type StreamRequest = Omit<ExecRequest, 'command'>;

/** Parses the exec query; a tty merges stderr into stdout, so stderr is off with a tty. */
export function parseExecRequest(q: Query): ExecRequest | string {
  const command = queryValues(q, 'command');
  if (command.length === 0) return 'you must specify at least 1 command';
  const flags = parseStreamRequest(q);
  return typeof flags === 'string' ? flags : { command, ...flags };
}

/** Parses the stream flags of an exec or attach query (stdin, stdout, stderr, tty). */
export function parseStreamRequest(q: Query): StreamRequest | string {
  const flags = { stdin: false, stdout: false, stderr: false, tty: false };
  for (const key of ['stdin', 'stdout', 'stderr', 'tty'] as const) {
    const b = queryBool(q, key);
    if (typeof b === 'string') return b;
    flags[key] = b;
  }
  if (!flags.stdin && !flags.stdout && !flags.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  if (flags.tty) flags.stderr = false;
  return flags;
}
