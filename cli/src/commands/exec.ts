/**
 * `mkctl exec <pod> [-c container] [-i] [-t] -- cmd args...` over a WebSocket with the
 * Kubernetes channel protocol (v5.channel.k8s.io, falling back to v4): binary frames whose
 * first byte is the stream (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, 255 close).
 * The process exits with the remote command's exit code from the channel-3 Status.
 */
import { ApiError, RESOURCES, buildQuery, resourcePath, type Pod, type Status } from '@mk8s/shared';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { podNameArg } from './logs.js';

export interface ExecOptions {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
}

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

/** The exit code a channel-3 Status means: 0 on Success, the ExitCode cause, else 1. */
export function exitCodeFromStatus(s: Partial<Status>): { code: number; error?: string } {
  if (s.status === 'Success') return { code: 0 };
  const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (s.reason === 'NonZeroExitCode' && cause?.message !== undefined) {
    const n = Number(cause.message);
    if (Number.isInteger(n)) return { code: n };
  }
  return { code: 1, error: s.message ?? 'command failed' };
}

export async function runExec(ctx: Context, podArg: string, command: string[], opts: ExecOptions): Promise<number> {
  if (command.length === 0) throw new CliError('you must specify at least one command for the container');
  const name = podNameArg(podArg);
  const pod = await ctx.client.request<Pod>('GET', resourcePath(RESOURCES.pods, ctx.namespace, name));
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
    throw new CliError(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  }
  const container = opts.container ?? pod.spec.containers[0]?.name;
  const input = opts.stdin ? ctx.stdin() : undefined;
  const tty = !!opts.tty && !!input?.isTTY && !!input.setRawMode;
  if (opts.tty && !tty) ctx.err.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const query = buildQuery({ command, container, stdin: opts.stdin ? 'true' : undefined, stdout: 'true', stderr: tty ? undefined : 'true', tty: tty ? 'true' : undefined });
  const url = new URL(resourcePath(RESOURCES.pods, ctx.namespace, name, 'exec') + query, ctx.config.server);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const headers: Record<string, string> = {};
  if (ctx.config.token) headers.Authorization = `Bearer ${ctx.config.token}`;
  // loaded on demand: the other commands should not pay for it at startup
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(url, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
    headers,
    ca: ctx.config.ca,
    rejectUnauthorized: !ctx.config.insecureSkipTLSVerify,
  });
  return new Promise<number>((resolve, reject) => {
    let exit: number | undefined;
    let restoreTty = (): void => {};
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          const s = JSON.parse(text) as Partial<Status>;
          if (s.kind === 'Status') return reject(ApiError.fromStatus(s, res.statusCode));
        } catch {
          // not a Status
        }
        reject(new CliError(`unable to upgrade connection: ${text.trim() || `HTTP ${res.statusCode ?? 0}`}`));
      });
    });
    ws.on('error', (err) => reject(err));
    ws.on('open', () => {
      const v5 = ws.protocol === 'v5.channel.k8s.io';
      if (tty && input?.setRawMode) {
        input.setRawMode(true);
        restoreTty = () => input.setRawMode?.(false);
        const resize = (): void => {
          const size = ctx.terminalSize();
          ws.send(Buffer.concat([Buffer.from([CHANNEL.resize]), Buffer.from(JSON.stringify({ Width: size.columns, Height: size.rows }))]));
        };
        resize();
        process.stdout.on('resize', resize);
      }
      if (input) {
        input.on('data', (d: Buffer | string) => ws.send(Buffer.concat([Buffer.from([CHANNEL.stdin]), Buffer.isBuffer(d) ? d : Buffer.from(d)])));
        input.on('end', () => {
          if (v5 && ws.readyState === WebSocket.OPEN) ws.send(Buffer.from([CHANNEL.close, CHANNEL.stdin]));
        });
      }
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const buf = isBinary ? data : Buffer.from(data);
      if (buf.length === 0) return;
      const ch = buf[0];
      const payload = buf.subarray(1);
      if (ch === CHANNEL.stdout) ctx.out.write(payload);
      else if (ch === CHANNEL.stderr) ctx.err.write(payload);
      else if (ch === CHANNEL.status) {
        let s: Partial<Status>;
        try {
          s = JSON.parse(payload.toString('utf8')) as Partial<Status>;
        } catch {
          s = { status: 'Failure', message: payload.toString('utf8') };
        }
        const r = exitCodeFromStatus(s);
        if (r.error) ctx.err.write(`error: ${r.error}\n`);
        else if (r.code !== 0) ctx.err.write(`command terminated with exit code ${r.code}\n`);
        exit = r.code;
      }
    });
    ws.on('close', () => {
      restoreTty();
      input?.pause();
      resolve(exit ?? 0);
    });
  });
}
