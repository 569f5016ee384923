/**
 * Test helper: the client end of a SPDY/3 connection, wired to an in-memory transport that a
 * SpdySession serves. What the peer sends the session reads; every frame the session writes is
 * parsed into `received`, and `until` waits (without timers) for a condition on them.
 */
import { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { ControlType, FrameParser, controlFrame, dataFrame, encodeHeaderBlock, rstStreamFrame, type Frame } from './frames.js';

export class SpdyTestPeer {
  readonly received: Frame[] = [];
  readonly transport: Duplex;
  private readonly parser = new FrameParser();
  private readonly deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  private waiters: Array<() => void> = [];

  constructor() {
    this.transport = new Duplex({
      read() {},
      write: (chunk: Buffer, _enc, done) => {
        this.received.push(...this.parser.push(chunk));
        for (const w of this.waiters.splice(0)) w();
        done();
      },
    });
  }

  /** Bytes to the session, as one transport chunk (several frames may be concatenated). */
  send(...frames: Buffer[]): void {
    this.transport.push(Buffer.concat(frames));
  }

  /** A SYN_STREAM frame, its headers compressed with this peer's zlib context. */
  synStream(id: number, headers: Record<string, string>, flags = 0): Promise<Buffer> {
    return new Promise((resolve) => {
      const out: Buffer[] = [];
      const onData = (c: Buffer): number => out.push(c);
      this.deflate.on('data', onData);
      this.deflate.write(encodeHeaderBlock(headers));
      this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        this.deflate.off('data', onData);
        const head = Buffer.alloc(10);
        head.writeUInt32BE(id);
        resolve(controlFrame(ControlType.SynStream, flags, Buffer.concat([head, ...out])));
      });
    });
  }

  data = (id: number, bytes: Buffer | string, flags = 0): Buffer => dataFrame(id, flags, Buffer.from(bytes));
  rst = (id: number, status: number): Buffer => rstStreamFrame(id, status);

  /** The payload the session sent on a stream, and whether it ended it with FIN. */
  streamData(id: number): { text: string; fin: boolean } {
    const frames = this.received.filter((f): f is Frame & { kind: 'data' } => f.kind === 'data' && f.streamId === id);
    return { text: Buffer.concat(frames.map((f) => f.data)).toString(), fin: frames.some((f) => f.flags & 0x01) };
  }

  /** Resolves once `ready()` holds, checking after every frame the session writes. */
  async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((r) => this.waiters.push(r));
  }

  /** Lets queued work (promise chains, stream ticks, socket events already due) run. */
  static async settle(rounds = 5): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
  }
}
