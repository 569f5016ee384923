import { describe, it, expect } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  parseExecRequest,
  parseStreamRequest,
  parseResize,
  selectProtocol,
  type ExecRequest,
  type StreamRequest,
  type TerminalSize,
} from './remotecommand.js';
import type { Query } from './query.js';

describe('selectProtocol', () => {
  it.each<[string, string | string[] | undefined, string | undefined]>([
    ['v5 preferred', 'v4.channel.k8s.io, v5.channel.k8s.io', 'v5.channel.k8s.io'],
    ['v4 only', 'v4.channel.k8s.io', 'v4.channel.k8s.io'],
    ['kubectl 1.30 list', 'v5.channel.k8s.io,v4.channel.k8s.io,v3.channel.k8s.io,v2.channel.k8s.io,channel.k8s.io', 'v5.channel.k8s.io'],
    ['array header', ['v1.channel.k8s.io', 'v4.channel.k8s.io'], 'v4.channel.k8s.io'],
    ['unsupported', 'channel.k8s.io, base64.channel.k8s.io', undefined],
    ['absent', undefined, undefined],
  ])('%s', (_name, header, want) => {
    expect(selectProtocol(header)).toBe(want);
  });
});

describe('frames', () => {
  it.each<[string, number, string]>([
    ['stdout text', 1, 'hello'],
    ['empty stderr', 2, ''],
    ['close stdin', 255, '\u0000'],
  ])('%s round-trips', (_name, channel, text) => {
    const frame = encodeFrame(channel, text);
    expect(frame[0]).toBe(channel);
    expect(decodeFrame(frame)).toEqual({ channel, data: Buffer.from(text) });
  });

  it('an empty frame has no channel', () => {
    expect(decodeFrame(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('parseResize', () => {
  it.each<[string, string, TerminalSize | undefined]>([
    ['valid', '{"Width":80,"Height":24}', { width: 80, height: 24 }],
    ['missing height', '{"Width":80}', undefined],
    ['not json', 'nope', undefined],
    ['negative', '{"Width":-1,"Height":2}', undefined],
    ['null', 'null', undefined],
  ])('%s', (_name, text, want) => {
    expect(parseResize(Buffer.from(text))).toEqual(want);
  });
});

describe('parseExecRequest', () => {
  it.each<[string, Query, ExecRequest | string]>([
    [
      'kubectl exec -i',
      { command: ['cat'], stdin: 'true', stdout: 'true', stderr: 'true' },
      { command: ['cat'], stdin: true, stdout: true, stderr: true, tty: false },
    ],
    [
      'tty turns stderr off',
      { command: 'sh', stdin: 'true', stdout: 'true', stderr: 'true', tty: 'true' },
      { command: ['sh'], stdin: true, stdout: true, stderr: false, tty: true },
    ],
    ['no command', { stdout: 'true' }, 'you must specify at least 1 command'],
    ['no streams', { command: 'ls' }, 'you must specify at least 1 of stdin, stdout, stderr'],
    ['bad flag', { command: 'ls', stdout: 'maybe' }, 'invalid value for stdout: "maybe" is not a boolean'],
  ])('%s', (_name, q, want) => {
    expect(parseExecRequest(q)).toEqual(want);
  });
});

describe('parseStreamRequest', () => {
  it.each<[string, Query, StreamRequest | string]>([
    ['attach -i -t', { stdin: 'true', stdout: 'true', stderr: 'true', tty: 'true' }, { stdin: true, stdout: true, stderr: false, tty: true }],
    ['output only', { stdout: 'true', stderr: 'true' }, { stdin: false, stdout: true, stderr: true, tty: false }],
    ['no streams', { tty: 'true' }, 'you must specify at least 1 of stdin, stdout, stderr'],
  ])('%s', (_name, q, want) => {
    expect(parseStreamRequest(q)).toEqual(want);
  });
});
