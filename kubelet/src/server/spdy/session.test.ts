import { describe, it, expect } from 'vitest';
import { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { silentLogger } from '@mk8s/shared';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { ControlType, FLAG_FIN, FrameParser, controlFrame, dataFrame, encodeHeaderBlock, pingFrame, type Frame } from './frames.js';
import { SpdySession, type SpdyStream } from './session.js';

/** A client end wired to a session: what it writes the session reads, and vice versa. */
function pair(): { client: { write(b: Buffer): void }; server: Duplex; received: () => Frame[] } {
  const parser = new FrameParser();
  const frames: Frame[] = [];
  const server = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, done) {
      frames.push(...parser.push(chunk));
      done();
    },
  });
  return { client: { write: (b) => server.push(b) }, server, received: () => frames };
}

const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
function synStream(id: number, headers: Record<string, string>, flags = 0): Promise<Buffer> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const onData = (c: Buffer): number => out.push(c);
    deflate.on('data', onData);
    deflate.write(encodeHeaderBlock(headers));
    deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      deflate.off('data', onData);
      const head = Buffer.alloc(10);
      head.writeUInt32BE(id);
      resolve(controlFrame(ControlType.SynStream, flags, Buffer.concat([head, ...out])));
    });
  });
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));

describe('SpdySession', () => {
  it('accepts streams, echoes data, answers pings and forgets streams closed both ways', async () => {
    const { client, server, received } = pair();
    const seen: SpdyStream[] = [];
    const session = new SpdySession(
      server,
      (s) => {
        if (s.headers.streamtype === 'bad') return 'refused';
        seen.push(s);
        s.incoming.on('data', (c: Buffer) => s.write(Buffer.from(c.toString().toUpperCase())));
        s.incoming.on('end', () => s.end());
        return undefined;
      },
      silentLogger(),
    );
    client.write(await synStream(1, { streamtype: 'data', port: '80' }));
    client.write(await synStream(3, { streamtype: 'bad' }));
    client.write(dataFrame(1, 0, Buffer.from('hello')));
    client.write(dataFrame(1, FLAG_FIN));
    client.write(pingFrame(5));
    await settle();
    expect(seen.map((s) => s.headers)).toEqual([{ streamtype: 'data', port: '80' }]);
    const summary = received().map((f) => (f.kind === 'data' ? `data ${f.streamId} ${f.flags} ${f.data.toString()}` : `control ${f.type}`));
    // The reply precedes the stream's data; the ping answer may overtake the echo's FIN.
    expect(summary[0]).toBe(`control ${ControlType.SynReply}`);
    expect(summary.filter((l) => l.startsWith('data'))).toEqual(['data 1 0 HELLO', `data 1 ${FLAG_FIN} `]);
    expect([...summary].sort()).toEqual(
      [`control ${ControlType.SynReply}`, `control ${ControlType.RstStream}`, `control ${ControlType.Ping}`, 'data 1 0 HELLO', `data 1 ${FLAG_FIN} `].sort(),
    );
    expect(session.openStreams).toBe(0);
    session.close();
    await session.done;
  });
});
