/**
 * Exec and attach over the remotecommand stream session. Exec runs the command with
 * `docker exec` (Tty per request) and reports Success or NonZeroExitCode from the exit code;
 * attach joins the container's own process (`docker attach`; tty from the container's config,
 * stdin only when the container keeps it open) and reports Success when its output ends.
 */
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { Logger } from '@mk8s/shared';
import { waitExecExit } from '../probes/exec-probe.js';
import type { ExecRequest } from './remotecommand.js';
import type { ClientChannels } from './client-channels.js';
import { runStreamSession, type Attached, type StreamFlags } from './stream-session.js';
import { execError, execExitFailure, execSuccess } from './status.js';

export { dockerErrorMessage } from './stream-session.js';

export interface SessionOptions {
  channels: ClientChannels;
  docker: Docker;
  containerId: string;
  logger: Logger;
}

export function runExecSession(opts: SessionOptions & { request: ExecRequest }): Promise<void> {
  const { request } = opts;
  return runStreamSession({
    channels: opts.channels,
    flags: request,
    logger: opts.logger,
    open: async (size): Promise<Attached> => {
      const exec = await opts.docker.getContainer(opts.containerId).exec({
        Cmd: request.command,
        AttachStdin: request.stdin,
        AttachStdout: request.stdout,
        AttachStderr: request.stderr,
        Tty: request.tty,
        ...(size && request.tty ? { ConsoleSize: [size.height, size.width] as [number, number] } : {}),
      });
      const stream = await exec.start({ hijack: true, stdin: request.stdin, Tty: request.tty });
      return {
        stream,
        tty: request.tty,
        resize: async (s) => void (await exec.resize({ h: s.height, w: s.width })),
        finalStatus: async () => {
          const code = await waitExecExit(exec);
          if (code === null) return execError('could not read the exit code of the command');
          return code === 0 ? execSuccess() : execExitFailure(request.command, code);
        },
      };
    },
  });
}

export function runAttachSession(opts: SessionOptions & { request: StreamFlags }): Promise<void> {
  const { request } = opts;
  return runStreamSession({
    channels: opts.channels,
    flags: request,
    logger: opts.logger,
    open: async (): Promise<Attached> => {
      const container = opts.docker.getContainer(opts.containerId);
      const info = await container.inspect();
      if (!info.State.Running) throw new Error(`container ${info.Id} is not running`);
      if (request.stdin && !info.Config.OpenStdin) {
        throw new Error('stdin is not enabled for this container (set stdin: true in its spec)');
      }
      const stream = (await container.attach({
        stream: true,
        hijack: true,
        stdin: request.stdin,
        stdout: request.stdout,
        stderr: request.stderr,
      })) as Duplex;
      return {
        stream,
        tty: info.Config.Tty,
        resize: async (s) => void (await container.resize({ h: s.height, w: s.width })),
        finalStatus: async () => execSuccess(),
      };
    },
  });
}
