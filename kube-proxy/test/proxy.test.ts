/**
 * kube-proxy end to end: a real cluster on Docker. Three busybox httpd replicas answer with
 * their pod name behind a ClusterIP service; a client pod reaches them by ClusterIP and by
 * DNS name, ClientIP affinity pins it to one, the NodePort answers from the host, no
 * endpoints refuse at once, a killed backend gets no new connections, pods on different
 * nodes reach each other, and `kubectl expose` works. Only addresses this test creates are
 * contacted; everything it made is removed at the end.
 */
import net from 'node:net';
import dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Deployment, type Endpoints, type Pod, type Service } from '@mk8s/shared';
import { kubectlBinary, waitFor } from '@mk8s/shared/testing';
import { BUSYBOX, loAddresses, podExec, podsWithLabel, readyEndpointIps, run, startCluster, unreachableRoute, type TestCluster } from './cluster.js';

let c: TestCluster;
const services = () => c.cp.client.resource<Service>(RESOURCES.services);
const deployments = () => c.cp.client.resource<Deployment>(RESOURCES.deployments);
const pods = () => c.cp.client.resource<Pod>(RESOURCES.pods);

const webDeployment = (replicas: number): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'httpd',
            image: BUSYBOX,
            imagePullPolicy: 'IfNotPresent',
            // a restarted container (after `docker kill`) stays up but never serves again, so
            // its readiness drops for good
            command: ['sh', '-c', 'if [ -f /data/started ]; then exec sleep 3600; fi; touch /data/started; mkdir -p /www; echo $HOSTNAME > /www/index.html; exec httpd -f -p 8080 -h /www'],
            ports: [{ name: 'http', containerPort: 8080 }],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
          },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});

const clientPod = (name: string, node: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: {
    nodeName: node,
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'sh', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'sleep 3600'] }],
  },
});

async function waitRunning(name: string): Promise<Pod> {
  return waitFor(
    async () => {
      const p = await pods().get('default', name);
      return p.status?.phase === 'Running' && p.status.podIP ? p : undefined;
    },
    { timeoutMs: 60_000, message: `pod ${name} not running` },
  );
}

/** `n` requests from the client pod; the answers (pod names, or the error text). */
async function fetchNames(url: string, n: number, from = 'client'): Promise<string[]> {
  const script = `for i in $(seq 1 ${n}); do timeout 5 wget -qO- ${url} 2>&1 || echo FAILED; done`;
  const { out } = await podExec(from, script, 60_000);
  return out.split('\n').map((s) => s.trim()).filter(Boolean);
}

async function webPodNames(): Promise<string[]> {
  return (await podsWithLabel(c, 'app=web')).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '').sort();
}

async function waitEndpoints(name: string, n: number): Promise<string[]> {
  return waitFor(
    async () => {
      const ips = await readyEndpointIps(c, name);
      return ips.length === n ? ips : undefined;
    },
    { timeoutMs: 90_000, message: () => `service ${name} never had ${n} ready endpoints; proxy: ${c.proxy.logs().slice(-3000)}` },
  );
}

/** Connects from the host; resolves with the outcome (data received or the error code). */
function hostConnect(ip: string, port: number): Promise<{ ok: boolean; code?: string; data?: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const s = net.connect({ host: ip, port });
    let data = '';
    s.setTimeout(5000, () => {
      s.destroy();
      resolve({ ok: false, code: 'TIMEOUT', ms: Date.now() - t0 });
    });
    s.on('connect', () => s.write(`GET / HTTP/1.0\r\nHost: ${ip}\r\n\r\n`));
    s.on('data', (b) => (data += b.toString()));
    s.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, code: err.code ?? 'ERROR', ms: Date.now() - t0 }));
    s.on('end', () => resolve({ ok: true, data, ms: Date.now() - t0 }));
  });
}

function dnsQuery(server: string, name: string, type: dnsPacket.RecordType = 'A'): Promise<dnsPacket.DecodedPacket & { rcode?: string }> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      sock.close();
      reject(new Error('dns timeout'));
    }, 3000);
    sock.on('message', (msg) => {
      clearTimeout(t);
      sock.close();
      resolve(dnsPacket.decode(msg));
    });
    sock.send(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] }), 53, server);
  });
}

beforeAll(async () => {
  await run('bash', ['deploy/images/build-test-images.sh']);
  c = await startCluster({ subnet: 231, name: 'kp' });
  await deployments().create(webDeployment(3));
  await services().create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  await pods().create(clientPod('client', c.nodes[0]!));
  await waitRunning('client');
  await waitEndpoints('web', 3);
}, 240_000);

afterAll(async () => {
  if (!c) return;
  await c.stop();
  // every address this test's proxy added to lo is gone, and so is its range route
  expect(await loAddresses(c.addressLabel)).toEqual([]);
  expect(await unreachableRoute(c.serviceRange)).toBe(false);
}, 120_000);

describe('kube-proxy and cluster DNS', () => {
  it('makes service ClusterIPs local and publishes kube-dns', async () => {
    const web = await services().get('default', 'web');
    const ip = web.spec.clusterIP!;
    await waitFor(async () => (await loAddresses(c.addressLabel)).includes(ip), { timeoutMs: 20_000, message: 'web ClusterIP not on lo' });
    const dns = await waitFor(() => services().get('kube-system', 'kube-dns'), { timeoutMs: 20_000, message: 'no kube-dns service' });
    expect(dns.spec.clusterIP).toBe(c.dnsIp);
    expect(dns.metadata.labels).toMatchObject({ 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true' });
    expect(dns.spec.ports?.map((p) => `${p.name}/${p.port}/${p.protocol}`)).toEqual(['dns/53/UDP', 'dns-tcp/53/TCP']);
    const eps = await waitFor(() => c.cp.client.resource<Endpoints>(RESOURCES.endpoints).get('kube-system', 'kube-dns'), { timeoutMs: 20_000 });
    expect(eps.subsets?.[0]?.addresses?.length).toBe(1);
    expect(await loAddresses(c.addressLabel)).toContain(c.dnsIp);
  });

  it('an unallocated address of the service range fails at once instead of leaving the node', async () => {
    await waitFor(() => unreachableRoute(c.serviceRange), { timeoutMs: 10_000, message: 'no unreachable route for the range' });
    const used = new Set((await services().list()).items.map((s) => s.spec.clusterIP));
    const base = c.serviceRange.split('/')[0]!.split('.').slice(0, 3).join('.');
    const free = [250, 251, 252, 253].map((n) => `${base}.${n}`).find((ip) => !used.has(ip))!;
    expect((await hostConnect(free, 80)).code).toBe('EHOSTUNREACH');
  });

  it('a client pod reaches all three backends through the ClusterIP', async () => {
    const ip = (await services().get('default', 'web')).spec.clusterIP!;
    const names = await fetchNames(`http://${ip}/`, 9);
    expect(names).toHaveLength(9);
    expect([...new Set(names)].sort()).toEqual(await webPodNames());
  });

  it('resolves service names: full name and short name from the pod, A/NXDOMAIN/REFUSED from the host', async () => {
    const full = await fetchNames('http://web.default.svc.cluster.local/', 6);
    const short = await fetchNames('http://web/', 6);
    const want = await webPodNames();
    expect([...new Set(full)].sort()).toEqual(want);
    expect([...new Set(short)].sort()).toEqual(want);
    const ip = (await services().get('default', 'web')).spec.clusterIP!;
    const a = await dnsQuery(c.dnsIp, 'web.default.svc.cluster.local');
    expect(a.answers?.map((x) => x.data)).toEqual([ip]);
    expect((await dnsQuery(c.dnsIp, 'nope.default.svc.cluster.local')).rcode).toBe('NXDOMAIN');
    expect((await dnsQuery(c.dnsIp, 'example.org')).rcode).toBe('REFUSED'); // no upstreams in tests
    const clientIp = (await pods().get('default', 'client')).status!.podIP!;
    const podName = `${clientIp.replace(/\./g, '-')}.default.pod.cluster.local`;
    expect((await dnsQuery(c.dnsIp, podName)).answers?.map((x) => x.data)).toEqual([clientIp]);
  });

  it('ClientIP session affinity keeps the client on one backend', async () => {
    await services().patch('default', 'web', { spec: { sessionAffinity: 'ClientIP' } });
    const names = await waitFor(
      async () => {
        const got = await fetchNames('http://web/', 8);
        return new Set(got).size === 1 && !got.includes('FAILED') ? got : undefined;
      },
      { timeoutMs: 30_000, message: 'affinity never held' },
    );
    expect(await webPodNames()).toContain(names[0]);
    await services().patch('default', 'web', { spec: { sessionAffinity: 'None' } });
  });

  it('a NodePort answers from the host', async () => {
    const svc = await services().patch('default', 'web', { spec: { type: 'NodePort' } });
    const nodePort = svc.spec.ports?.[0]?.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    const res = await waitFor(
      async () => {
        const r = await hostConnect('127.0.0.1', nodePort!);
        return r.ok ? r : undefined;
      },
      { timeoutMs: 20_000, message: 'NodePort never answered' },
    );
    expect(await webPodNames()).toContain(res.data!.split('\r\n\r\n')[1]?.trim());
  });

  it('no ready endpoints: connections are refused at once; scaling back up makes them work', async () => {
    const ip = (await services().get('default', 'web')).spec.clusterIP!;
    await deployments().patch('default', 'web', { spec: { replicas: 0 } });
    await waitEndpoints('web', 0);
    // Until kube-proxy has seen the empty endpoints, a connection may still reach a backend that
    // is shutting down (ECONNRESET); after that every connection is refused, none hangs.
    const refused = await waitFor(
      async () => {
        const r = await hostConnect(ip, 80);
        return r.code === 'ECONNREFUSED' ? r : undefined;
      },
      { timeoutMs: 20_000, message: 'connections to a service without endpoints were never refused' },
    );
    const again = await hostConnect(ip, 80);
    expect(again.code).toBe('ECONNREFUSED');
    const fromPod = await fetchNames(`http://${ip}/`, 1);
    expect(fromPod.join(' ')).toMatch(/refused/i);
    await deployments().patch('default', 'web', { spec: { replicas: 3 } });
    await waitEndpoints('web', 3);
    const names = await waitFor(
      async () => {
        const got = await fetchNames(`http://${ip}/`, 6);
        return got.includes('FAILED') ? undefined : got;
      },
      { timeoutMs: 30_000 },
    );
    expect(names.every((n) => n.startsWith('web-'))).toBe(true);
  });

  it('a killed backend container gets no new connections', async () => {
    const ip = (await services().get('default', 'web')).spec.clusterIP!;
    const ready = await readyEndpointIps(c, 'web');
    const victim = (await podsWithLabel(c, 'app=web')).find((p) => !p.metadata.deletionTimestamp && ready.includes(p.status?.podIP ?? ''));
    const victimIp = victim!.status!.podIP!;
    const { out } = await run('docker', ['ps', '-q', '--filter', `label=io.kubernetes.pod.name=${victim!.metadata.name}`, '--filter', 'label=io.kubernetes.container.name=httpd']);
    const id = out.split('\n').find(Boolean)!;
    expect((await run('docker', ['kill', id])).code).toBe(0);
    // right away, before the endpoint goes: a refused dial falls through to another endpoint
    const early = await fetchNames(`http://${ip}/`, 6);
    expect(early).not.toContain('FAILED');
    await waitFor(async () => !(await readyEndpointIps(c, 'web')).includes(victimIp), { timeoutMs: 30_000, message: 'victim never left the endpoints' });
    const later = await fetchNames(`http://${ip}/`, 8);
    expect(later).not.toContain('FAILED');
    expect(later).not.toContain(victim!.metadata.name);
  });

  it('a pod on one node reaches a pod on the other node by pod IP', async () => {
    await pods().create({
      ...clientPod('far', c.nodes[1]!),
      spec: {
        nodeName: c.nodes[1]!,
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'sh', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'mkdir -p /www; echo far > /www/index.html; exec httpd -f -p 8080 -h /www'] }],
      },
    });
    const far = await waitRunning('far');
    expect(far.spec.nodeName).not.toBe((await pods().get('default', 'client')).spec.nodeName);
    const got = await waitFor(async () => ((await fetchNames(`http://${far.status!.podIP}:8080/`, 1))[0] === 'far' ? 'far' : undefined), { timeoutMs: 20_000 });
    expect(got).toBe('far');
  });

  it('stock kubectl expose deployment gives a working service', async () => {
    const kc = c.cp.kubeconfigFor('admin');
    const res = await run(kubectlBinary('1.32'), ['--kubeconfig', kc, 'expose', 'deployment', 'web', '--name', 'web2', '--port', '8081', '--target-port', '8080']);
    expect(res.out).toContain('service/web2 exposed');
    await waitFor(async () => (await readyEndpointIps(c, 'web2')).length >= 2, { timeoutMs: 30_000, message: 'web2 has no endpoints' });
    const names = await waitFor(
      async () => {
        const got = await fetchNames('http://web2.default.svc.cluster.local:8081/', 3);
        return got.includes('FAILED') ? undefined : got;
      },
      { timeoutMs: 30_000 },
    );
    expect(names.every((n) => n.startsWith('web-'))).toBe(true);
  });

  it('a deleted service loses its address and listener', async () => {
    const ip = (await services().get('default', 'web2')).spec.clusterIP!;
    await waitFor(async () => (await loAddresses(c.addressLabel)).includes(ip), { timeoutMs: 20_000 });
    await services().delete('default', 'web2');
    await waitFor(async () => !(await loAddresses(c.addressLabel)).includes(ip), { timeoutMs: 20_000, message: 'web2 address stayed on lo' });
  });

  it('listeners follow a port change without a restart', async () => {
    const ip = (await services().get('default', 'web')).spec.clusterIP!;
    await services().patch('default', 'web', [{ op: 'replace', path: '/spec/ports/0/port', value: 8088 }], 'json');
    const names = await waitFor(
      async () => {
        const got = await fetchNames(`http://${ip}:8088/`, 3);
        return got.includes('FAILED') ? undefined : got;
      },
      { timeoutMs: 20_000, message: 'new port never answered' },
    );
    expect(names.every((n) => n.startsWith('web-'))).toBe(true);
    const old = await waitFor(async () => {
      const r = await hostConnect(ip, 80);
      return r.ok ? undefined : r;
    });
    expect(old.code).toBe('ECONNREFUSED');
  });

  it('cluster DNS over TCP through the kube-dns ClusterIP', async () => {
    const ip = (await services().get('default', 'web')).spec.clusterIP!;
    const reply = await new Promise<dnsPacket.DecodedPacket>((resolve, reject) => {
      const s = net.connect({ host: c.dnsIp, port: 53 });
      let buf = Buffer.alloc(0);
      s.setTimeout(5000, () => s.destroy(new Error('timeout')));
      s.on('error', reject);
      s.on('connect', () => s.write(dnsPacket.streamEncode({ type: 'query', id: 9, questions: [{ name: 'web.default.svc.cluster.local', type: 'A', class: 'IN' }] })));
      s.on('data', (b: Buffer) => {
        buf = Buffer.concat([buf, b]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          s.destroy();
          resolve(dnsPacket.decode(buf.subarray(2)));
        }
      });
    });
    expect(reply.id).toBe(9);
    expect(reply.answers?.map((a) => a.data)).toEqual([ip]);
  });

  it('headless services resolve to the ready pod IPs; SRV names the port', async () => {
    await services().create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-headless', namespace: 'default' },
      spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    const ips = await waitFor(async () => {
      const got = await readyEndpointIps(c, 'web-headless');
      return got.length >= 2 ? got : undefined;
    });
    const answers = await waitFor(async () => {
      const r = await dnsQuery(c.dnsIp, 'web-headless.default.svc.cluster.local');
      const got = (r.answers ?? []).map((a) => String(a.data)).sort();
      return got.length === ips.length ? got : undefined;
    });
    expect(answers).toEqual(ips);
    const srv = await dnsQuery(c.dnsIp, '_http._tcp.web-headless.default.svc.cluster.local', 'SRV');
    expect((srv.answers ?? []).map((a) => (a.data as { port: number }).port)).toEqual(ips.map(() => 8080));
    const fromPod = await fetchNames('http://web-headless:8080/', 3);
    expect(fromPod.every((n) => n.startsWith('web-'))).toBe(true);
  });

  it('serves /healthz and per-service /metrics', async () => {
    const line = c.proxy.logs().split('\n').find((l) => l.includes('ops server listening'));
    const port = (JSON.parse(line!) as { port: number }).port;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toMatch(/kubeproxy_connections_total\{service="default\/web:http",result="accepted"\} [1-9]/);
    expect(text).toMatch(/kubeproxy_bytes_total\{service="default\/web:http",direction="out"\} [1-9]/);
    expect(text).toMatch(/kubeproxy_udp_packets_total\{service="kube-system\/kube-dns:dns",direction="in"\} [1-9]/);
    expect(text).toMatch(/kubedns_queries_total\{type="A",rcode="0"\} [1-9]/);
  });

  it('a restarted kube-proxy removes its addresses on SIGTERM and restores service on start', async () => {
    const ip = (await services().get('default', 'web')).spec.clusterIP!;
    await c.stopProxy();
    expect(await c.proxy.exited).toBe(0);
    expect(await loAddresses(c.addressLabel)).toEqual([]);
    await c.startProxy();
    await waitFor(async () => (await loAddresses(c.addressLabel)).includes(ip), { timeoutMs: 30_000, message: 'address not restored' });
    const names = await waitFor(
      async () => {
        const got = await fetchNames('http://web.default.svc.cluster.local:8088/', 3);
        return got.includes('FAILED') ? undefined : got;
      },
      { timeoutMs: 20_000 },
    );
    expect(names.every((n) => n.startsWith('web-'))).toBe(true);
  });
});
