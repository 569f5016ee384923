/**
 * Termination messages: each container gets a fresh, world-writable host file bind-mounted
 * at its terminationMessagePath (default /dev/termination-log), at
 * <rootDir>/pods/<uid>/containers/<name>/<restartCount>. When the container has ended, the
 * file's first 4 KiB become `state.terminated.message`; with terminationMessagePolicy
 * FallbackToLogsOnError an empty file on a failure falls back to the last 80 log lines.
 */
import { chmod, mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import type { Container } from '@mk8s/shared';
import { podDir } from './volumes.js';

const MAX_MESSAGE = 4096;

export const terminationLogPath = (rootDir: string, uid: string, name: string, restartCount: number): string =>
  join(podDir(rootDir, uid), 'containers', name, String(restartCount));

export async function prepareTerminationLog(rootDir: string, uid: string, c: Container, restartCount: number): Promise<Docker.MountSettings | undefined> {
  const target = c.terminationMessagePath ?? '/dev/termination-log';
  if (!target) return undefined;
  const path = terminationLogPath(rootDir, uid, c.name, restartCount);
  await mkdir(dirname(path), { recursive: true });
  await (await open(path, 'w')).close();
  await chmod(path, 0o666);
  return { Type: 'bind', Source: path, Target: target };
}

/** Docker's multiplexed log stream (8-byte frame headers) as text; raw text passes through. */
export function demuxLogs(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + len).toString('utf8');
    i += 8 + len;
  }
  return i === 0 ? buf.toString('utf8') : out;
}

export async function readTerminationMessage(
  docker: Docker,
  rootDir: string,
  uid: string,
  c: Container,
  containerId: string,
  restartCount: number,
  exitCode: number,
): Promise<string | undefined> {
  const file = await readFile(terminationLogPath(rootDir, uid, c.name, restartCount)).catch(() => undefined);
  const text = file?.subarray(0, MAX_MESSAGE).toString('utf8');
  if (text) return text;
  if (c.terminationMessagePolicy !== 'FallbackToLogsOnError' || exitCode === 0) return undefined;
  try {
    const logs = (await docker.getContainer(containerId).logs({ stdout: true, stderr: true, tail: 80, follow: false })) as unknown as Buffer;
    const tail = demuxLogs(Buffer.isBuffer(logs) ? logs : Buffer.from(String(logs)));
    return tail ? tail.slice(-2048) : undefined;
  } catch {
    return undefined;
  }
}
