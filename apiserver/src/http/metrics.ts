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
  app.addHook('onResponse', (req, reply, done) => {
    const m = req.mk8s ?? { verb: req.method.toLowerCase(), resource: '' };
    const labels = { verb: m.verb, resource: m.resource, subresource: m.subresource ?? '' };
    requests.inc({ ...labels, code: String(reply.statusCode) });
    if (m.verb !== 'watch') latency.observe(labels, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  return { registry, watchers };
}
