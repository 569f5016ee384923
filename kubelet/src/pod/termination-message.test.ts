import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { demuxLogs, prepareTerminationLog, readTerminationMessage, terminationLogPath } from './termination-message.js';

const frame = (stream: 1 | 2, text: string): Buffer => {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};

describe('demuxLogs', () => {
  it.each([
    { name: 'multiplexed stdout and stderr', buf: Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]), want: 'out\nerr\n' },
    { name: 'raw text (tty)', buf: Buffer.from('plain\n'), want: 'plain\n' },
    { name: 'empty', buf: Buffer.alloc(0), want: '' },
  ])('$name', ({ buf, want }) => {
    expect(demuxLogs(buf)).toBe(want);
  });
});

describe('termination log files', () => {
  const root = mkdtempSync(join(tmpdir(), 'mk8s-termlog-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const noLogs = { getContainer: () => ({ logs: async () => frame(1, 'from logs\n') }) } as unknown as Docker;

  it('prepares a world-writable file mounted at the message path', async () => {
    const m = await prepareTerminationLog(root, 'u1', { name: 'c' }, 2);
    expect(m).toEqual({ Type: 'bind', Source: terminationLogPath(root, 'u1', 'c', 2), Target: '/dev/termination-log' });
    expect(statSync(m?.Source ?? '').mode & 0o777).toBe(0o666);
    expect(await prepareTerminationLog(root, 'u1', { name: 'c', terminationMessagePath: '' }, 0)).toBeUndefined();
  });

  it.each([
    { name: 'file content wins', content: 'bye', policy: 'FallbackToLogsOnError', exit: 1, want: 'bye' },
    { name: 'empty file, policy File', content: '', policy: 'File', exit: 1, want: undefined },
    { name: 'empty file, fallback on failure', content: '', policy: 'FallbackToLogsOnError', exit: 1, want: 'from logs\n' },
    { name: 'empty file, fallback but success', content: '', policy: 'FallbackToLogsOnError', exit: 0, want: undefined },
  ])('$name', async ({ content, policy, exit, want }) => {
    const c = { name: `c-${policy}-${exit}-${content}`, terminationMessagePolicy: policy };
    await prepareTerminationLog(root, 'u2', c, 0);
    writeFileSync(terminationLogPath(root, 'u2', c.name, 0), content);
    expect(await readTerminationMessage(noLogs, root, 'u2', c, 'id', 0, exit)).toBe(want);
  });
});
