/**
 * Test helper: a minimal remotecommand WebSocket client (what kubectl's v5 executor does) that
 * collects stdout/stderr, the channel-3 Status and the close code, or the HTTP answer when the
 * upgrade is refused.
 */
import { WebSocket } from 'ws';

export interface ExecResult {
  protocol?: string;
  stdout: string;
  stderr: string;
  status?: { status: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  closeCode?: number;
  /** set when the server refused the upgrade */
  httpStatus?: number;
  httpBody?: string;
}

export interface ExecSession {
  ws: WebSocket;
  /** resolves when the socket closes (or the upgrade is refused) */
  done: Promise<ExecResult>;
  result: ExecResult;
  sendStdin(data: string): void;
  closeStdin(): void;
  resize(width: number, height: number): void;
  /** resolves once stdout contains `text` */
  waitForStdout(text: string): Promise<void>;
}

export function openExec(url: string, opts: { token?: string; protocols?: string[] } = {}): ExecSession {
  const headers: Record<string, string> = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};
  const ws = new WebSocket(url, opts.protocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io'], { headers });
  const result: ExecResult = { stdout: '', stderr: '' };
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const checkWaiters = (): void => {
    for (const w of waiters.splice(0)) {
      if (result.stdout.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  };
  const done = new Promise<ExecResult>((resolve, reject) => {
    ws.on('open', () => {
      result.protocol = ws.protocol;
    });
    ws.on('message', (raw: Buffer) => {
      const channel = raw[0];
      const text = raw.subarray(1).toString('utf8');
      if (channel === 1) result.stdout += text;
      else if (channel === 2) result.stderr += text;
      else if (channel === 3) result.status = JSON.parse(text) as ExecResult['status'];
      checkWaiters();
    });
    ws.on('close', (code) => {
      result.closeCode = code;
      for (const w of waiters.splice(0)) w.resolve();
      resolve(result);
    });
    ws.on('unexpected-response', (_req, res) => {
      result.httpStatus = res.statusCode;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        result.httpBody = body;
        resolve(result);
      });
    });
    ws.on('error', (err) => {
      if (result.httpStatus === undefined) reject(err);
    });
  });
  const send = (bytes: Buffer): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(bytes);
    else ws.once('open', () => ws.send(bytes));
  };
  return {
    ws,
    done,
    result,
    sendStdin: (data) => send(Buffer.concat([Buffer.from([0]), Buffer.from(data)])),
    closeStdin: () => send(Buffer.from([255, 0])),
    resize: (width, height) => send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: width, Height: height }))])),
    waitForStdout: (text) =>
      new Promise<void>((resolve) => {
        waiters.push({ text, resolve });
        checkWaiters();
      }),
  };
}
