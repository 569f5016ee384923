/**
 * Test helper: the smallest "apiserver" stock kubectl accepts for `port-forward` and `exec`
 * (discovery, GET of one Running pod) that passes pods/portforward and pods/exec upgrades byte
 * for byte to a kubelet server (/portForward, /exec) with the kubelet's token. It lets tests
 * drive the kubelet's SPDY and WebSocket endpoints with the real kubectl of any version.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface PassthroughApiserver {
  url: string;
  close(): Promise<void>;
}

export async function startPassthroughApiserver(opts: {
  kubeletPort: number;
  kubeletToken: string;
  namespace: string;
  pod: string;
  /** the pod's container names (the first is kubectl's default) */
  containers?: string[];
}): Promise<PassthroughApiserver> {
  const containers = opts.containers ?? ['c'];
  const podPath = `/api/v1/namespaces/${opts.namespace}/pods/${opts.pod}`;
  const json = (res: http.ServerResponse, body: unknown): void => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/api') return json(res, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return json(res, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (path === '/api/v1') {
      return json(res, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get'] },
          { name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
          { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
        ],
      });
    }
    if (path === podPath) {
      return json(res, {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name: opts.pod, namespace: opts.namespace },
        spec: { containers: containers.map((name) => ({ name, image: 'x' })) },
        status: { phase: 'Running' },
      });
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound' }));
  });
  const sockets = new Set<net.Socket>();
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://apiserver');
    let target: string;
    if (url.pathname === `${podPath}/portforward`) target = `/portForward/${opts.namespace}/${opts.pod}`;
    else if (url.pathname === `${podPath}/exec`) {
      const container = url.searchParams.get('container') ?? containers[0] ?? '';
      url.searchParams.delete('container');
      target = `/exec/${opts.namespace}/${opts.pod}/${container}?${url.searchParams.toString()}`;
    } else return socket.destroy();
    const up = net.connect(opts.kubeletPort, '127.0.0.1', () => {
      let request = `${req.method ?? 'GET'} ${target} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (!/^authorization$/i.test(req.rawHeaders[i] ?? '')) request += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      }
      up.write(`${request}Authorization: Bearer ${opts.kubeletToken}\r\n\r\n`);
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    for (const s of [up, socket]) sockets.add(s);
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
    up.on('close', () => socket.destroy());
    socket.on('close', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
