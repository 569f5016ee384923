/**
 * The EndpointSlice of the `kubernetes` Service, which the apiserver writes itself as
 * Kubernetes' endpoints reconciler does: named `kubernetes` in `default`, labelled only with
 * `kubernetes.io/service-name` (no managed-by label, so the EndpointSlice controller leaves it
 * alone), one ready endpoint at the advertised address and the secure port. Reconciled at
 * every start, next to the Endpoints. An address Kubernetes would refuse in a slice (loopback,
 * link-local) is skipped with a log line instead of failing the start.
 */
import { LABEL_SERVICE_NAME, type EndpointSlice, type KubeObject, type Logger } from '@mk8s/shared';
import type { Registry } from '../registry/registry.js';
import type { ResourceDef } from '../registry/resource-def.js';
import { endpointIPProblems } from '../validation/discovery.js';

export function kubernetesEndpointSlice(advertiseAddress: string, port: number): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { [LABEL_SERVICE_NAME]: 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [advertiseAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  };
}

export async function reconcileKubernetesEndpointSlice(
  registry: Registry,
  def: ResourceDef,
  o: { advertiseAddress: string; port: number; logger: Logger },
): Promise<void> {
  const problems = endpointIPProblems(o.advertiseAddress);
  if (problems.length > 0) {
    o.logger.warn({ address: o.advertiseAddress, problems }, 'kubernetes endpoint slice not written');
    return;
  }
  const want = kubernetesEndpointSlice(o.advertiseAddress, o.port);
  await registry.guaranteedUpdate(
    def,
    'default',
    'kubernetes',
    (current: KubeObject | undefined) =>
      (current
        ? { ...current, addressType: want.addressType, endpoints: want.endpoints, ports: want.ports, metadata: { ...current.metadata, labels: { ...current.metadata.labels, ...want.metadata.labels }, resourceVersion: undefined } }
        : want) as KubeObject,
    { dryRun: false, user: 'system:apiserver' },
    { createIfMissing: true },
  );
}
