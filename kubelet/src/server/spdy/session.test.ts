import { describe, it, expect } from 'vitest';
import { silentLogger } from '@mk8s/shared';
import { ControlType, FLAG_FIN, RST_CANCEL, pingFrame } from './frames.js';
import { SpdySession, type SpdyStream } from './session.js';
import { SpdyTestPeer } from './test-peer.js';

describe('SpdySession', () => {
  it('accepts streams, echoes data, answers pings and forgets streams closed both ways', async () => {
    const peer = new SpdyTestPeer();
    const seen: SpdyStream[] = [];
    const session = new SpdySession(
      peer.transport,
      (s) => {
        if (s.headers.streamtype === 'bad') return 'refused';
        seen.push(s);
        s.incoming.on('data', (c: Buffer) => s.write(Buffer.from(c.toString().toUpperCase())));
        s.incoming.on('end', () => s.end());
        return undefined;
      },
      silentLogger(),
    );
    peer.send(await peer.synStream(1, { streamtype: 'data', port: '80' }));
    peer.send(await peer.synStream(3, { streamtype: 'bad' }));
    peer.send(peer.data(1, 'hello'), peer.data(1, '', FLAG_FIN), pingFrame(5));
    await peer.until(() => peer.received.length >= 5);
    expect(seen.map((s) => s.headers)).toEqual([{ streamtype: 'data', port: '80' }]);
    const summary = peer.received.map((f) => (f.kind === 'data' ? `data ${f.streamId} ${f.flags} ${f.data.toString()}` : `control ${f.type}`));
    // The reply precedes the stream's data; the ping answer may overtake the echo's FIN.
    expect(summary[0]).toBe(`control ${ControlType.SynReply}`);
    expect(summary.filter((l) => l.startsWith('data'))).toEqual(['data 1 0 HELLO', `data 1 ${FLAG_FIN} `]);
    expect([...summary].sort()).toEqual(
      [`control ${ControlType.SynReply}`, `control ${ControlType.RstStream}`, `control ${ControlType.Ping}`, 'data 1 0 HELLO', `data 1 ${FLAG_FIN} `].sort(),
    );
    await SpdyTestPeer.settle();
    expect(session.openStreams).toBe(0);
    session.close();
    await session.done;
  });

  // How a stream's incoming data ends. The data and the ending arrive in one transport chunk,
  // so nothing has been read yet when the ending is handled.
  it.each<[string, (peer: SpdyTestPeer) => void, { data: string; ended: boolean; reset: boolean; destroyed: boolean }]>([
    ['FIN: the data, then the end', (p) => p.send(p.data(1, 'abc'), p.data(1, 'def', FLAG_FIN)), { data: 'abcdef', ended: true, reset: false, destroyed: false }],
    // kubectl 1.32+ resets each port-forward data stream as its normal goodbye: nothing sent before is lost.
    ['RST_STREAM: the data sent before it, then the end', (p) => p.send(p.data(1, 'abc'), p.data(1, 'def'), p.rst(1, RST_CANCEL)), { data: 'abcdef', ended: true, reset: true, destroyed: false }],
    ['data after RST_STREAM is dropped', (p) => p.send(p.data(1, 'abc'), p.rst(1, RST_CANCEL), p.data(1, 'late')), { data: 'abc', ended: true, reset: true, destroyed: false }],
    ['the transport ends: the stream is aborted', (p) => p.transport.push(null), { data: '', ended: false, reset: true, destroyed: true }],
  ])('%s', async (_name, ending, want) => {
    const peer = new SpdyTestPeer();
    let stream: SpdyStream | undefined;
    const session = new SpdySession(peer.transport, (s) => void (stream = s), silentLogger());
    peer.send(await peer.synStream(1, { streamtype: 'data' }));
    await peer.until(() => peer.received.length >= 1);
    const s = stream!;
    let data = '';
    let ended = false;
    let reset = false;
    let closed = false;
    s.on('reset', () => (reset = true));
    ending(peer);
    s.incoming.on('data', (c: Buffer) => (data += c.toString()));
    s.incoming.on('end', () => (ended = true));
    s.incoming.on('close', () => (closed = true));
    await new Promise<void>((r) => {
      const check = (): void => void (closed || ended ? r() : setImmediate(check));
      check();
    });
    await SpdyTestPeer.settle();
    expect({ data, ended, reset, destroyed: s.incoming.destroyed && !ended }).toEqual(want);
    session.close();
    await session.done;
  });
});
