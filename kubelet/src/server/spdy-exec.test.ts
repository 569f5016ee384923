import { describe, it, expect } from 'vitest';
import { expectedStreams, takeJsonObjects } from './spdy-exec.js';
import { checkForwardHeaders } from './port-forward.js';
import type { StreamFlags } from './stream-session.js';

describe('expectedStreams', () => {
  it.each<[string, StreamFlags, string[]]>([
    ['exec', { stdin: false, stdout: true, stderr: true, tty: false }, ['error', 'stdout', 'stderr']],
    ['exec -i', { stdin: true, stdout: true, stderr: true, tty: false }, ['error', 'stdin', 'stdout', 'stderr']],
    ['exec -it', { stdin: true, stdout: true, stderr: false, tty: true }, ['error', 'stdin', 'stdout', 'resize']],
  ])('%s', (_name, flags, want) => {
    expect(expectedStreams(flags)).toEqual(want);
  });
});

describe('takeJsonObjects', () => {
  it.each<[string, string, string[], string]>([
    ['one object', '{"Width":80,"Height":24}', ['{"Width":80,"Height":24}'], ''],
    ['two and a partial', '{"Width":1,"Height":2}{"Width":3,"Height":4}{"Wid', ['{"Width":1,"Height":2}', '{"Width":3,"Height":4}'], '{"Wid'],
    ['newline separated', '{"Width":1,"Height":2}\n{"Width":3,"Height":4}\n', ['{"Width":1,"Height":2}', '{"Width":3,"Height":4}'], '\n'],
    ['nothing complete', '{"Width":1', [], '{"Width":1'],
  ])('%s', (_name, input, objects, rest) => {
    expect(takeJsonObjects(input)).toEqual({ objects, rest });
  });
});

describe('checkForwardHeaders', () => {
  it.each<[string, Record<string, string>, string | undefined]>([
    ['data stream', { streamtype: 'data', port: '8080', requestid: '0' }, undefined],
    ['error stream', { streamtype: 'error', port: '80', requestid: '1' }, undefined],
    ['missing port', { streamtype: 'data' }, 'invalid port header ""'],
    ['port out of range', { streamtype: 'data', port: '70000' }, 'invalid port header "70000"'],
    ['unknown stream type', { streamtype: 'stdin', port: '80' }, 'invalid stream type "stdin"'],
  ])('%s', (_name, headers, want) => {
    expect(checkForwardHeaders(headers)).toBe(want);
  });
});
