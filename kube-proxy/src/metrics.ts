/**
 * kube-proxy's Prometheus metrics, per service port (`<ns>/<name>:<port>`): connections
 * accepted by outcome, connections open, bytes each way (counted when a connection closes, so
 * the data path does no per-chunk work), errors by kind, UDP packets, and sync timing.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface ProxyMetrics {
  connections: Counter<'service' | 'result'>;
  active: Gauge<'service'>;
  bytes: Counter<'service' | 'direction'>;
  errors: Counter<'service' | 'kind'>;
  udpPackets: Counter<'service' | 'direction'>;
  syncDuration: Histogram;
  listeners: Gauge<'protocol'>;
  dnsQueries: Counter<'type' | 'rcode'>;
}

export function newProxyMetrics(registry: Registry): ProxyMetrics {
  const registers = [registry];
  return {
    connections: new Counter({ name: 'kubeproxy_connections_total', help: 'Accepted TCP connections by outcome', labelNames: ['service', 'result'], registers }),
    active: new Gauge({ name: 'kubeproxy_connections_active', help: 'Open proxied TCP connections', labelNames: ['service'], registers }),
    bytes: new Counter({ name: 'kubeproxy_bytes_total', help: 'Proxied bytes (in = client to endpoint)', labelNames: ['service', 'direction'], registers }),
    errors: new Counter({ name: 'kubeproxy_errors_total', help: 'Proxy errors by kind', labelNames: ['service', 'kind'], registers }),
    udpPackets: new Counter({ name: 'kubeproxy_udp_packets_total', help: 'Proxied UDP datagrams', labelNames: ['service', 'direction'], registers }),
    syncDuration: new Histogram({
      name: 'kubeproxy_sync_proxy_rules_duration_seconds',
      help: 'Duration of a full proxy sync',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    listeners: new Gauge({ name: 'kubeproxy_listeners', help: 'Open service listeners', labelNames: ['protocol'], registers }),
    dnsQueries: new Counter({ name: 'kubedns_queries_total', help: 'DNS queries answered', labelNames: ['type', 'rcode'], registers }),
  };
}
