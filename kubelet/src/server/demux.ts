/**
 * DockerDemuxer: a Transform that splits Docker's multiplexed stdout/stderr stream (8-byte
 * header: stream type, 3 zero bytes, big-endian payload length) into `{ stream, data }` frames.
 * Unlike `modem.demuxStream` it is an ordinary stream, so `pipe` carries backpressure from the
 * HTTP response or WebSocket back to Docker. A header with an unknown stream type is an error.
 */
import { Transform, type TransformCallback } from 'node:stream';

export interface DockerFrame {
  /** 0 stdin, 1 stdout, 2 stderr */
  stream: 0 | 1 | 2;
  data: Buffer;
}

const HEADER = 8;

export class DockerDemuxer extends Transform {
  private pending: Buffer = Buffer.alloc(0);

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= HEADER) {
      const type = this.pending[0]!;
      if (type > 2) {
        done(new Error(`invalid Docker stream header: stream type ${type}`));
        return;
      }
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER + length) break;
      const frame: DockerFrame = { stream: type as 0 | 1 | 2, data: this.pending.subarray(HEADER, HEADER + length) };
      this.pending = this.pending.subarray(HEADER + length);
      if (frame.data.length > 0) this.push(frame);
    }
    done();
  }
}

/** One frame in Docker's multiplexed format (for tests and fakes). */
export function dockerFrame(stream: 0 | 1 | 2, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  const header = Buffer.alloc(HEADER);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}
