/**
 * A server-side SPDY/3 session over a byte stream (a hijacked HTTP connection, or a WebSocket
 * tunnel as a Duplex). The peer opens streams; `onStream` accepts one (SYN_REPLY) or refuses it
 * with a reason (RST_STREAM). Frames are handled strictly in arrival order and every outgoing
 * frame goes through one ordered queue, so a stream's SYN_REPLY always precedes its data. The
 * two zlib contexts (the peer's header blocks, ours) live as long as the session. PINGs are
 * echoed; SETTINGS and WINDOW_UPDATE are ignored (no flow control: spdystream, kubectl's side,
 * neither sends nor honours them). A peer's RST_STREAM ends a stream's `incoming` after the data
 * that came before it; GOAWAY or the end of the transport aborts every stream.
 */
import { EventEmitter } from 'node:events';
import { PassThrough, type Duplex } from 'node:stream';
import zlib from 'node:zlib';
import type { Logger } from '@mk8s/shared';
import { SPDY3_DICTIONARY } from './dictionary.js';
import {
  ControlType,
  FLAG_FIN,
  FrameParser,
  RST_CANCEL,
  RST_REFUSED_STREAM,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  goAwayFrame,
  parseIdAndValue,
  parseSynStream,
  rstStreamFrame,
  synReplyFrame,
  type Frame,
} from './frames.js';

/** One zlib context used block by block with SYNC_FLUSH (callers serialize). */
class ZlibContext {
  private out: Buffer[] = [];
  constructor(private readonly z: zlib.Inflate | zlib.Deflate) {
    z.on('data', (c: Buffer) => this.out.push(c));
    z.on('error', () => undefined);
  }
  run(input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.z.write(input, (err) => err && reject(err));
      this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        const r = Buffer.concat(this.out);
        this.out = [];
        resolve(r);
      });
    });
  }
  close(): void {
    this.z.close();
  }
}

export class SpdyStream extends EventEmitter {
  /** the peer's data; ends at its FIN, is destroyed on reset */
  readonly incoming = new PassThrough();
  private localClosed = false;
  private resetDone = false;

  private remoteEnded = false;

  constructor(
    readonly id: number,
    readonly headers: Record<string, string>,
    private readonly session: SpdySession,
  ) {
    super();
    // 'finish' (the peer's FIN was written in) fires even when nobody reads the stream.
    this.incoming.on('finish', () => {
      this.remoteEnded = true;
      this.forgetWhenDone();
    });
  }

  /** A stream closed both ways (or reset) leaves the session's table. */
  private forgetWhenDone(): void {
    if (this.resetDone || (this.localClosed && this.remoteEnded)) this.session.forget(this.id);
  }

  write(data: Buffer): void {
    if (this.localClosed || this.resetDone || data.length === 0) return;
    this.session.enqueue(dataFrame(this.id, 0, data));
  }

  /** Half-closes our side (DATA with FIN). */
  end(): void {
    if (this.localClosed || this.resetDone) return;
    this.localClosed = true;
    this.session.enqueue(dataFrame(this.id, FLAG_FIN));
    this.forgetWhenDone();
  }

  /** Aborts the stream: RST_STREAM to the peer, and `incoming` is destroyed. */
  reset(status = RST_CANCEL): void {
    if (this.resetDone) return;
    this.session.enqueue(rstStreamFrame(this.id, status));
    this.abort();
  }

  /**
   * @internal the peer sent RST_STREAM: what it sent before stays readable and `incoming` then
   * ends (spdystream delivers a reset stream's earlier data, then EOF; kubectl 1.32+ resets
   * every data stream once a forwarded connection is over, so this is its normal goodbye).
   */
  peerReset(): void {
    if (this.resetDone) return;
    this.resetDone = true;
    if (!this.incoming.writableEnded) this.incoming.end();
    this.emit('reset');
    this.forgetWhenDone();
  }

  /** @internal we reset the stream or the session ended: `incoming` is destroyed */
  abort(): void {
    const first = !this.resetDone;
    this.resetDone = true;
    this.incoming.destroy();
    if (first) this.emit('reset');
    this.forgetWhenDone();
  }
}

export class SpdySession {
  private readonly parser = new FrameParser();
  private readonly inflate = new ZlibContext(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }));
  private readonly deflate = new ZlibContext(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }));
  private readonly streams = new Map<number, SpdyStream>();
  private inbound: Promise<void> = Promise.resolve();
  private outbound: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly transport: Duplex,
    private readonly onStream: (stream: SpdyStream) => string | undefined,
    private readonly logger: Logger,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    transport.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.parser.push(chunk);
      } catch (err) {
        this.logger.debug({ err }, 'spdy framing error');
        this.close();
        return;
      }
      for (const f of frames) this.inbound = this.inbound.then(() => this.handle(f)).catch((err: unknown) => {
        this.logger.debug({ err }, 'spdy frame failed');
        this.close();
      });
    });
    transport.on('end', () => this.close());
    transport.on('close', () => this.close());
    transport.on('error', (err) => {
      this.logger.debug({ err }, 'spdy transport error');
      this.close();
    });
  }

  /** Queues bytes (or bytes still being made) for the transport, in order. */
  enqueue(frame: Buffer | Promise<Buffer>): void {
    this.outbound = this.outbound.then(async () => {
      const bytes = await frame;
      if (!this.closed && !this.transport.destroyed) this.transport.write(bytes);
    }).catch((err: unknown) => this.logger.debug({ err }, 'spdy write failed'));
  }

  /** @internal drops a finished stream */
  forget(id: number): void {
    this.streams.delete(id);
  }

  /** Number of streams still open (for tests and metrics). */
  get openStreams(): number {
    return this.streams.size;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.abort();
    this.streams.clear();
    this.inflate.close();
    this.deflate.close();
    this.transport.destroy();
    this.resolveDone();
  }

  /** Sends GOAWAY, lets queued frames out, then closes. */
  async shutdown(): Promise<void> {
    this.enqueue(goAwayFrame(this.lastStreamId));
    await this.outbound;
    this.close();
  }

  private async handle(f: Frame): Promise<void> {
    if (this.closed) return;
    if (f.kind === 'data') {
      const s = this.streams.get(f.streamId);
      if (!s) return;
      if (f.data.length > 0) s.incoming.write(f.data);
      if (f.flags & FLAG_FIN) s.incoming.end();
      return;
    }
    switch (f.type) {
      case ControlType.SynStream: {
        const syn = parseSynStream(f.data);
        const headers = decodeHeaderBlock(await this.inflate.run(syn.headerBlock));
        this.lastStreamId = Math.max(this.lastStreamId, syn.streamId);
        const stream = new SpdyStream(syn.streamId, headers, this);
        const refused = this.onStream(stream);
        if (refused !== undefined) {
          this.logger.debug({ streamId: syn.streamId, headers, refused }, 'spdy stream refused');
          this.enqueue(rstStreamFrame(syn.streamId, RST_REFUSED_STREAM));
          return;
        }
        this.streams.set(syn.streamId, stream);
        this.enqueue(this.deflate.run(encodeHeaderBlock({})).then((block) => synReplyFrame(syn.streamId, block)));
        if (f.flags & FLAG_FIN) stream.incoming.end();
        return;
      }
      case ControlType.RstStream: {
        const { id } = parseIdAndValue(f.data);
        this.streams.get(id)?.peerReset();
        this.streams.delete(id);
        return;
      }
      case ControlType.Ping:
        this.enqueue(Buffer.concat([Buffer.from([0x80, 0x03, 0x00, ControlType.Ping, 0, 0, 0, 4]), f.data.subarray(0, 4)]));
        return;
      case ControlType.GoAway:
        this.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do
    }
  }
}
