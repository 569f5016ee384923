/**
 * Makes the cluster DNS reachable as a Service: `kube-system/kube-dns` with the fixed
 * ClusterIP (ports 53/UDP `dns` and 53/TCP `dns-tcp`, no selector, so the endpoints
 * controller leaves its Endpoints alone), and Endpoints listing this node's DNS listener.
 * Idempotent: creates what is missing, adds this node's address to existing Endpoints, and
 * leaves other nodes' addresses in place. Conflicts (another node writing at the same time)
 * are retried.
 */
import { isAlreadyExists, isConflict, isNotFound, RESOURCES, type ApiClient, type Endpoints, type Service } from '@mk8s/shared';
import type { Logger } from 'pino';

export interface DnsServiceOptions {
  clusterIP: string;
  /** address the DNS server is reachable at from any node */
  address: string;
  port: number;
  nodeName: string;
  namespace?: string;
  name?: string;
}

export function kubeDnsService(o: DnsServiceOptions): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: o.name ?? 'kube-dns',
      namespace: o.namespace ?? 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: o.clusterIP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: o.port },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: o.port },
      ],
    },
  };
}

/** Endpoints with this node's address added (others kept); undefined if nothing changes. */
export function withNodeAddress(eps: Endpoints | undefined, o: DnsServiceOptions): Endpoints | undefined {
  const ports = [
    { name: 'dns', port: o.port, protocol: 'UDP' as const },
    { name: 'dns-tcp', port: o.port, protocol: 'TCP' as const },
  ];
  const subset = eps?.subsets?.find((s) => (s.ports ?? []).length === 2 && ports.every((p) => s.ports!.some((q) => q.name === p.name && q.port === p.port && q.protocol === p.protocol)));
  if (subset?.addresses?.some((a) => a.ip === o.address)) return undefined;
  const others = (eps?.subsets ?? [])
    .filter((s) => s !== subset)
    .map((s) => ({ ...s, addresses: (s.addresses ?? []).filter((a) => a.ip !== o.address) }))
    .filter((s) => s.addresses.length || (s.notReadyAddresses ?? []).length);
  const mine = { addresses: [...(subset?.addresses ?? []), { ip: o.address, nodeName: o.nodeName }], ports };
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: eps?.metadata ?? { name: o.name ?? 'kube-dns', namespace: o.namespace ?? 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    subsets: [...others, mine],
  };
}

export async function ensureDnsService(client: ApiClient, o: DnsServiceOptions, log: Logger): Promise<void> {
  const ns = o.namespace ?? 'kube-system';
  const name = o.name ?? 'kube-dns';
  const services = client.resource<Service>(RESOURCES.services);
  const endpoints = client.resource<Endpoints>(RESOURCES.endpoints);
  try {
    const existing = await services.get(ns, name);
    if (existing.spec.clusterIP !== o.clusterIP) log.warn({ clusterIP: existing.spec.clusterIP, want: o.clusterIP }, 'kube-dns service has another ClusterIP');
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await services.create(kubeDnsService(o));
      log.info({ clusterIP: o.clusterIP }, 'kube-dns service created');
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    let current: Endpoints | undefined;
    try {
      current = await endpoints.get(ns, name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const next = withNodeAddress(current, o);
    if (!next) return;
    try {
      if (current) await endpoints.update(next);
      else await endpoints.create(next);
      log.info({ address: `${o.address}:${o.port}` }, 'kube-dns endpoints updated');
      return;
    } catch (err) {
      if (!isConflict(err) && !isAlreadyExists(err)) throw err;
    }
  }
  throw new Error('kube-dns endpoints: too many conflicts');
}
