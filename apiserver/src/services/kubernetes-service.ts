/**
 * The `kubernetes` Service in `default`: the first address of the service range, port 443,
 * with Endpoints pointing at this apiserver's advertised address. Reconciled at every start.
 */
import { networkInterfaces } from 'node:os';
import { ApiError, type Endpoints, type KubeObject, type Logger, type Service } from '@mk8s/shared';
import type { Registry } from '../registry/registry.js';
import type { ResourceDef } from '../registry/resource-def.js';

/** The first non-internal IPv4 address of this host, else 127.0.0.1. */
export function hostIPv4(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export async function reconcileKubernetesService(
  registry: Registry,
  defs: { services: ResourceDef; endpoints: ResourceDef },
  o: { clusterIP: string; advertiseAddress: string; port: number; logger: Logger },
): Promise<void> {
  const ctx = { dryRun: false, user: 'system:apiserver' };
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: o.clusterIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.port }], sessionAffinity: 'None' },
  };
  try {
    await registry.create(defs.services, 'default', svc, ctx);
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
  }
  const ep: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: o.advertiseAddress }], ports: [{ name: 'https', port: o.port, protocol: 'TCP' }] }],
  };
  await registry.guaranteedUpdate(
    defs.endpoints,
    'default',
    'kubernetes',
    (current: KubeObject | undefined) => (current ? { ...current, subsets: ep.subsets, metadata: { ...current.metadata, resourceVersion: undefined } } : ep) as KubeObject,
    ctx,
    { createIfMissing: true },
  );
  o.logger.info({ clusterIP: o.clusterIP, endpoint: `${o.advertiseAddress}:${o.port}` }, 'kubernetes service reconciled');
}
