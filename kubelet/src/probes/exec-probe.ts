/**
 * Exec probe: runs the command in the container with `docker exec` and reports success on exit
 * code 0. Output is stdout and stderr interleaved (bounded). A run longer than the timeout is a
 * failure (the command itself keeps running inside the container: Docker cannot kill an exec).
 * Never throws.
 */
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { BoundedOutput, errorText } from './output.js';

export interface ProbeOutcome {
  result: 'success' | 'failure';
  output: string;
}

/** Polls `exec.inspect()` until Docker reports the exit code (it may lag the stream's end). */
export async function waitExecExit(exec: Docker.Exec, attempts = 40, delayMs = 25): Promise<number | null> {
  for (let i = 0; i < attempts; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, delayMs));
  }
  return null;
}

export async function runExecProbe(
  docker: Docker,
  containerId: string,
  command: string[],
  timeoutMs: number,
): Promise<ProbeOutcome> {
  if (command.length === 0) return { result: 'failure', output: 'exec probe has no command' };
  const out = new BoundedOutput();
  let stream: Duplex | undefined;
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<ProbeOutcome> => {
    const exec = await docker.getContainer(containerId).exec({
      Cmd: command,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    stream = await exec.start({ hijack: true, stdin: false, Tty: false });
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => out.write(c));
    docker.modem.demuxStream(stream, sink, sink);
    await new Promise<void>((resolve, reject) => {
      stream!.on('end', resolve);
      stream!.on('close', resolve);
      stream!.on('error', reject);
    });
    const code = await waitExecExit(exec);
    if (code === 0) return { result: 'success', output: out.text() };
    const why = code === null ? 'exit code unknown' : `exit code ${code}`;
    return { result: 'failure', output: out.text() || `command ${JSON.stringify(command)} failed: ${why}` };
  };
  const timeout = new Promise<ProbeOutcome>((resolve) => {
    timer = setTimeout(() => {
      stream?.destroy();
      resolve({ result: 'failure', output: `command ${JSON.stringify(command)} timed out after ${timeoutMs}ms` });
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(), timeout]);
  } catch (err) {
    return { result: 'failure', output: `exec probe failed: ${errorText(err)}` };
  } finally {
    clearTimeout(timer);
  }
}
