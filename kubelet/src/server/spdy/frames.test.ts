import { describe, it, expect } from 'vitest';
import { deflateSync, inflateSync } from 'node:zlib';
import {
  ControlType,
  FLAG_FIN,
  FrameParser,
  controlFrame,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  parseIdAndValue,
  parseSynStream,
  pingFrame,
  rstStreamFrame,
  synReplyFrame,
  type Frame,
} from './frames.js';
import { SPDY3_DICTIONARY } from './dictionary.js';

const synStream = (id: number, block: Buffer): Buffer => {
  const head = Buffer.alloc(10);
  head.writeUInt32BE(id);
  return controlFrame(ControlType.SynStream, 0, Buffer.concat([head, block]));
};

describe('FrameParser', () => {
  const stream = Buffer.concat([pingFrame(7), dataFrame(3, FLAG_FIN, Buffer.from('hello')), rstStreamFrame(5, 5)]);
  const want: Frame[] = [
    { kind: 'control', type: ControlType.Ping, flags: 0, data: Buffer.from([0, 0, 0, 7]) },
    { kind: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.from('hello') },
    { kind: 'control', type: ControlType.RstStream, flags: 0, data: Buffer.from([0, 0, 0, 5, 0, 0, 0, 5]) },
  ];
  it.each<[string, Buffer[]]>([
    ['one chunk', [stream]],
    ['split in a header', [stream.subarray(0, 3), stream.subarray(3)]],
    ['byte by byte', [...stream].map((b) => Buffer.from([b]))],
  ])('%s', (_name, chunks) => {
    const p = new FrameParser();
    expect(chunks.flatMap((c) => p.push(c))).toEqual(want);
  });

  it('rejects another SPDY version', () => {
    const f = pingFrame(1);
    f[1] = 2;
    expect(() => new FrameParser().push(f)).toThrow(/unsupported SPDY version 2/);
  });
});

describe('frames', () => {
  it('SYN_STREAM parses id and header block', () => {
    const [f] = new FrameParser().push(synStream(9, Buffer.from('hdrs')));
    expect(f?.kind).toBe('control');
    expect(parseSynStream(f!.data)).toEqual({ streamId: 9, associatedId: 0, headerBlock: Buffer.from('hdrs') });
  });

  it('SYN_REPLY carries the stream id', () => {
    const [f] = new FrameParser().push(synReplyFrame(11, Buffer.from('x'), FLAG_FIN));
    expect(f).toEqual({ kind: 'control', type: ControlType.SynReply, flags: FLAG_FIN, data: Buffer.from([0, 0, 0, 11, 0x78]) });
  });

  it('RST_STREAM parses id and status', () => {
    const [f] = new FrameParser().push(rstStreamFrame(3, 6));
    expect(parseIdAndValue(f!.data)).toEqual({ id: 3, value: 6 });
  });
});

describe('header blocks', () => {
  it.each<[string, Record<string, string>]>([
    ['port-forward data stream', { streamtype: 'data', port: '8080', requestid: '0' }],
    ['empty', {}],
  ])('%s round-trips', (_name, headers) => {
    expect(decodeHeaderBlock(encodeHeaderBlock(headers))).toEqual(headers);
  });

  it('lower-cases names and keeps the first of NUL-joined values', () => {
    const block = encodeHeaderBlock({ StreamType: 'error\0data' });
    expect(decodeHeaderBlock(block)).toEqual({ streamtype: 'error' });
  });

  it('rejects a truncated block', () => {
    expect(() => decodeHeaderBlock(encodeHeaderBlock({ port: '80' }).subarray(0, 10))).toThrow(/truncated/);
  });

  it('the dictionary is the 1423-byte SPDY/3 one and primes zlib both ways', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    const block = encodeHeaderBlock({ streamtype: 'data', port: '80' });
    const packed = deflateSync(block, { dictionary: SPDY3_DICTIONARY });
    expect(inflateSync(packed, { dictionary: SPDY3_DICTIONARY })).toEqual(block);
  });
});
