/**
 * SPDY/3 framing (draft 3, section 2.2), pure: an incremental parser from bytes to frames, and
 * encoders for the frames a server sends. Header blocks are handled here uncompressed
 * (`encodeHeaderBlock` / `decodeHeaderBlock`); compression lives in the session.
 *   control frame: 1 | version(15) | type(16) | flags(8) | length(24) | data
 *   data frame:    0 | stream id(31)           | flags(8) | length(24) | data
 */
export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const enum ControlType {
  SynStream = 1,
  SynReply = 2,
  RstStream = 3,
  Settings = 4,
  Ping = 6,
  GoAway = 7,
  Headers = 8,
  WindowUpdate = 9,
}

export const RST_PROTOCOL_ERROR = 1;
export const RST_REFUSED_STREAM = 3;
export const RST_CANCEL = 5;
export const RST_INTERNAL_ERROR = 6;

export type Frame =
  | { kind: 'control'; type: number; flags: number; data: Buffer }
  | { kind: 'data'; streamId: number; flags: number; data: Buffer };

const HEADER = 8;
/** Frames above this are refused (SPDY allows 16 MiB; clients send far less). */
export const MAX_FRAME = 1 << 24;

/** Splits a byte stream into frames; keeps partial input between calls. */
export class FrameParser {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= HEADER) {
      const length = this.pending.readUIntBE(5, 3);
      if (this.pending.length < HEADER + length) break;
      const flags = this.pending[4]!;
      const data = this.pending.subarray(HEADER, HEADER + length);
      const first = this.pending.readUInt32BE(0);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) throw new Error(`unsupported SPDY version ${version}`);
        frames.push({ kind: 'control', type: first & 0xffff, flags, data });
      } else {
        frames.push({ kind: 'data', streamId: first & 0x7fffffff, flags, data });
      }
      this.pending = this.pending.subarray(HEADER + length);
    }
    return frames;
  }
}

export function controlFrame(type: ControlType, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(HEADER);
  head.writeUInt32BE((0x8000 | SPDY_VERSION) * 0x10000 + type);
  head[4] = flags;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(HEADER);
  head.writeUInt32BE(streamId & 0x7fffffff);
  head[4] = flags;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

const u32 = (...values: number[]): Buffer => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
};

export const synReplyFrame = (streamId: number, compressedHeaders: Buffer, flags = 0): Buffer =>
  controlFrame(ControlType.SynReply, flags, Buffer.concat([u32(streamId & 0x7fffffff), compressedHeaders]));
export const rstStreamFrame = (streamId: number, status: number): Buffer =>
  controlFrame(ControlType.RstStream, 0, u32(streamId & 0x7fffffff, status));
export const pingFrame = (id: number): Buffer => controlFrame(ControlType.Ping, 0, u32(id));
export const goAwayFrame = (lastStreamId: number, status = 0): Buffer =>
  controlFrame(ControlType.GoAway, 0, u32(lastStreamId & 0x7fffffff, status));

export interface SynStream {
  streamId: number;
  associatedId: number;
  /** still compressed */
  headerBlock: Buffer;
}

export function parseSynStream(data: Buffer): SynStream {
  if (data.length < 10) throw new Error('short SYN_STREAM');
  return {
    streamId: data.readUInt32BE(0) & 0x7fffffff,
    associatedId: data.readUInt32BE(4) & 0x7fffffff,
    headerBlock: data.subarray(10),
  };
}

/** A stream id and one 32-bit value (RST_STREAM status, WINDOW_UPDATE delta, GOAWAY status). */
export function parseIdAndValue(data: Buffer): { id: number; value: number } {
  if (data.length < 8) throw new Error('short control frame');
  return { id: data.readUInt32BE(0) & 0x7fffffff, value: data.readUInt32BE(4) };
}

/** SPDY/3 name/value block: count, then (length, name, length, value) pairs; names lower-cased. */
export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Decodes a name/value block; values holding several NUL-separated entries keep the first. */
export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let at = 0;
  const take = (): Buffer => {
    if (at + 4 > block.length) throw new Error('truncated header block');
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length) throw new Error('truncated header block');
    const b = block.subarray(at, at + len);
    at += len;
    return b;
  };
  if (block.length < 4) throw new Error('truncated header block');
  const count = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < count; i++) {
    const name = take().toString('utf8').toLowerCase();
    const value = take().toString('utf8').split('\0')[0] ?? '';
    headers[name] = value;
  }
  return headers;
}
