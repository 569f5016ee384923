/** Prometheus metrics of the apiserver: requests by verb, resource and code, latency, watchers. */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  watchers: Gauge;
}

export function installMetrics(app: FastifyInstance): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Requests by verb, resource, subresource and HTTP code',
    labelNames: ['verb', 'resource', 'subresource', 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Request latency by verb and resource (watches excluded)',
    labelNames: ['verb', 'resource', 'subresource'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const watchers = new Gauge({ name: 'apiserver_registered_watchers', help: 'Open watch streams', registers: [registry] });
  // prom-client hashes a label object on every call; the children for a label set are kept
  // instead (verbs, resources and codes are few).
  const children = new Map<string, { requests: ReturnType<typeof requests.labels>; latency: ReturnType<typeof latency.labels> }>();
  app.addHook('onResponse', (req, reply, done) => {
    const m = req.mk8s ?? { verb: req.method.toLowerCase(), resource: '' };
    const subresource = m.subresource ?? '';
    const code = String(reply.statusCode);
    const key = `${m.verb} ${m.resource} ${subresource} ${code}`;
    let c = children.get(key);
    if (!c) {
      c = { requests: requests.labels(m.verb, m.resource, subresource, code), latency: latency.labels(m.verb, m.resource, subresource) };
      children.set(key, c);
    }
    c.requests.inc();
    if (m.verb !== 'watch') c.latency.observe(reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  return { registry, watchers };
}
