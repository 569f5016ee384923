/**
 * metrics.k8s.io/v1beta1, served from the kubelets' Summary API (`GET /stats/summary`, as
 * metrics-server reads it): NodeMetrics and PodMetrics with cpu in nano-cores and memory as
 * working-set bytes. `kubectl top` and the HPA controller read these. Summaries are cached
 * for a few seconds so that frequent readers don't hammer kubelets.
 */
import http from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, newNotFound, parseSelector, type KubeObject, type Logger, type Node } from '@mk8s/shared';
import { kubeletAddress } from './node-address.js';

export interface Summary {
  node: { nodeName: string; cpu?: { usageNanoCores?: number; time?: string }; memory?: { workingSetBytes?: number; time?: string } };
  pods?: {
    podRef: { name: string; namespace: string; uid?: string };
    containers?: { name: string; cpu?: { usageNanoCores?: number; time?: string }; memory?: { workingSetBytes?: number } }[];
  }[];
}

export interface MetricsApiOptions {
  listNodes(): Promise<Node[]>;
  listPods(namespace: string | undefined): Promise<KubeObject[]>;
  token?: string;
  allowLoopback?: boolean;
  logger: Logger;
  cacheMs?: number;
}

const cpu = (n: number | undefined) => `${Math.round(n ?? 0)}n`;
const mem = (b: number | undefined) => `${Math.round((b ?? 0) / 1024)}Ki`;
const nodeReady = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export function fetchSummary(node: Node, o: Pick<MetricsApiOptions, 'token' | 'allowLoopback'>, timeoutMs = 5000): Promise<Summary> {
  const addr = kubeletAddress(node, o.allowLoopback);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: addr.host, port: addr.port, path: '/stats/summary', headers: o.token ? { Authorization: `Bearer ${o.token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`kubelet ${node.metadata.name} answered ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Summary);
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('kubelet summary timed out')));
    req.on('error', reject);
  });
}

export function metricsApiRoutes(app: FastifyInstance, o: MetricsApiOptions): void {
  let cached: { at: number; summaries: Summary[] } | undefined;
  const summaries = async (): Promise<Summary[]> => {
    if (cached && Date.now() - cached.at < (o.cacheMs ?? 5000)) return cached.summaries;
    const nodes = (await o.listNodes()).filter(nodeReady);
    const results = await Promise.allSettled(nodes.map((n) => fetchSummary(n, o)));
    const ok: Summary[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') ok.push(r.value);
      else o.logger.warn({ node: nodes[i]?.metadata.name, err: r.reason instanceof Error ? r.reason.message : String(r.reason) }, 'kubelet summary failed');
    });
    cached = { at: Date.now(), summaries: ok };
    return ok;
  };
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const nodeMetrics = (s: Summary) => ({
    metadata: { name: s.node.nodeName, creationTimestamp: now() },
    timestamp: s.node.cpu?.time ?? now(),
    window: '10s',
    usage: { cpu: cpu(s.node.cpu?.usageNanoCores), memory: mem(s.node.memory?.workingSetBytes) },
  });
  const podMetrics = (p: NonNullable<Summary['pods']>[number], labels: Record<string, string> | undefined) => ({
    metadata: { name: p.podRef.name, namespace: p.podRef.namespace, creationTimestamp: now(), labels },
    timestamp: now(),
    window: '10s',
    containers: (p.containers ?? []).map((c) => ({ name: c.name, usage: { cpu: cpu(c.cpu?.usageNanoCores), memory: mem(c.memory?.workingSetBytes) } })),
  });
  const list = (kind: string, items: unknown[]) => ({ kind, apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
  const selector = (req: FastifyRequest) => {
    const q = req.query as Record<string, string | undefined>;
    return q.labelSelector ? parseSelector(q.labelSelector) : undefined;
  };

  app.get('/apis/metrics.k8s.io/v1beta1/nodes', async () => list('NodeMetricsList', (await summaries()).map(nodeMetrics)));
  app.get<{ Params: { name: string } }>('/apis/metrics.k8s.io/v1beta1/nodes/:name', async (req) => {
    const s = (await summaries()).find((x) => x.node.nodeName === req.params.name);
    if (!s) throw newNotFound('nodes', 'metrics.k8s.io', req.params.name);
    return { kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', ...nodeMetrics(s) };
  });
  const pods = async (req: FastifyRequest, namespace: string | undefined) => {
    const sel = selector(req);
    const live = new Map((await o.listPods(namespace)).map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
    const items = [];
    for (const s of await summaries()) {
      for (const p of s.pods ?? []) {
        const pod = live.get(`${p.podRef.namespace}/${p.podRef.name}`);
        if (!pod) continue;
        if (sel && !sel.matches(pod.metadata.labels ?? {})) continue;
        items.push(podMetrics(p, pod.metadata.labels));
      }
    }
    return items;
  };
  app.get('/apis/metrics.k8s.io/v1beta1/pods', async (req) => list('PodMetricsList', await pods(req, undefined)));
  app.get<{ Params: { ns: string } }>('/apis/metrics.k8s.io/v1beta1/namespaces/:ns/pods', async (req) => list('PodMetricsList', await pods(req, req.params.ns)));
  app.get<{ Params: { ns: string; name: string } }>('/apis/metrics.k8s.io/v1beta1/namespaces/:ns/pods/:name', async (req) => {
    const found = (await pods(req, req.params.ns)).find((p) => p.metadata.name === req.params.name);
    if (!found) throw newNotFound('pods', 'metrics.k8s.io', req.params.name);
    return { kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', ...found };
  });
}

export { ApiError };
