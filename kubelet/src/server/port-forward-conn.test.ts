import { describe, it, expect, afterEach } from 'vitest';
import net from 'node:net';
import { silentLogger } from '@mk8s/shared';
import { forwardConnection } from './port-forward-conn.js';
import { FLAG_FIN, RST_CANCEL } from './spdy/frames.js';
import { SpdySession, type SpdyStream } from './spdy/session.js';
import { SpdyTestPeer } from './spdy/test-peer.js';

/** A "pod" listening on loopback: it counts what it receives and acts as the case says. */
interface Pod {
  port: number;
  received: () => number;
  /** resolves when the client's FIN (or a reset) reached the pod */
  ended: Promise<void>;
  close(): Promise<void>;
}

function startPod(behave: (sock: net.Socket) => void): Promise<Pod> {
  let received = 0;
  let ended!: () => void;
  const endedP = new Promise<void>((r) => (ended = r));
  const server = net.createServer({ allowHalfOpen: true }, (sock) => {
    sock.on('data', (c: Buffer) => (received += c.length));
    sock.on('end', () => ended());
    sock.on('error', () => ended());
    behave(sock);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        received: () => received,
        ended: endedP,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

/** A session whose error (1) and data (3) streams are joined to the pod by forwardConnection. */
async function connect(port: number, graceMs: number) {
  const peer = new SpdyTestPeer();
  const streams = new Map<number, SpdyStream>();
  let sock: net.Socket | undefined;
  const session = new SpdySession(
    peer.transport,
    (s) => {
      streams.set(s.id, s);
      const [error, data] = [streams.get(1), streams.get(3)];
      if (error && data) sock = forwardConnection({ host: '127.0.0.1', port, podName: 'ns/p', error, data, logger: silentLogger(), graceMs });
      return undefined;
    },
    silentLogger(),
  );
  peer.send(await peer.synStream(1, { streamtype: 'error', port: String(port) }), await peer.synStream(3, { streamtype: 'data', port: String(port) }));
  await peer.until(() => peer.received.length >= 2);
  return { peer, session, sock: sock! };
}

const chunks = (total: number, size = 32 * 1024): Buffer[] => {
  const out: Buffer[] = [];
  for (let at = 0; at < total; at += size) out.push(Buffer.alloc(Math.min(size, total - at), 'y'));
  return out;
};

const HOUR = 3_600_000;
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('forwardConnection', () => {
  it.each<[string, { grace: number; pod: (s: net.Socket) => void; run: (c: Awaited<ReturnType<typeof connect>>) => Promise<void> }, { podGot: number; data: string; dataFin: boolean; error: string }]>([
    [
      // What kubectl 1.33's e2e upload ran into: nc in the pod half-closes at once; had its FIN
      // reached kubectl then, kubectl would have reset the stream and dropped the upload's tail.
      'the pod half-closes at once: the data stream stays open until a 200 KB upload is over',
      {
        grace: HOUR,
        pod: (s) => s.end(),
        run: async ({ peer, sock }) => {
          if (!sock.readableEnded) await new Promise((r) => sock.once('end', r));
          await SpdyTestPeer.settle();
          expect(peer.streamData(3).fin).toBe(false);
          peer.send(...chunks(200_000).map((c) => peer.data(3, c)), peer.data(3, '', FLAG_FIN));
        },
      },
      { podGot: 200_000, data: '', dataFin: true, error: '' },
    ],
    [
      'a reset right after the upload: what came before it still reaches the pod, which then gets a FIN',
      {
        grace: HOUR,
        pod: (s) => s.on('end', () => s.end()),
        run: async ({ peer }) => peer.send(...chunks(100_000).map((c) => peer.data(3, c)), peer.rst(3, RST_CANCEL)),
      },
      { podGot: 100_000, data: '', dataFin: false, error: '' },
    ],
    [
      'the pod answers and closes while the client stays quiet: the data stream ends after the grace period',
      { grace: 20, pod: (s) => s.end('bye'), run: async () => undefined },
      { podGot: 0, data: 'bye', dataFin: true, error: '' },
    ],
    [
      'request, FIN, answer: the pod still answers after the client half-closed',
      {
        grace: HOUR,
        pod: (s) => s.on('end', () => s.end('answer')),
        run: async ({ peer }) => peer.send(peer.data(3, 'question', FLAG_FIN)),
      },
      { podGot: 8, data: 'answer', dataFin: true, error: '' },
    ],
  ])('%s', async (_name, c, want) => {
    const pod = await startPod(c.pod);
    cleanup.push(() => pod.close());
    const conn = await connect(pod.port, c.grace);
    cleanup.push(() => conn.session.close());
    await c.run(conn);
    // The error stream's FIN is queued after the data stream's (when there is one).
    await conn.peer.until(() => conn.peer.streamData(1).fin);
    await pod.ended;
    const { text: data, fin: dataFin } = conn.peer.streamData(3);
    expect({ podGot: pod.received(), data, dataFin, error: conn.peer.streamData(1).text }).toEqual(want);
  });

  it('a refused dial is reported on the error stream and both streams end', async () => {
    const pod = await startPod(() => undefined);
    await pod.close();
    const { peer, session } = await connect(pod.port, HOUR);
    cleanup.push(() => session.close());
    await peer.until(() => peer.streamData(3).fin && peer.streamData(1).fin);
    expect(peer.streamData(1).text).toMatch(new RegExp(`^error forwarding port ${pod.port} to pod ns/p: connect ECONNREFUSED`));
  });
});
