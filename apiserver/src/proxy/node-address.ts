/**
 * Where a pod's kubelet listens: the node's InternalIP and `daemonEndpoints.kubeletEndpoint`
 * port. Loopback, link-local and unspecified addresses are refused: the apiserver must not
 * proxy to itself or to metadata-style endpoints on behalf of a user who can write a Node.
 */
import { isIP } from 'node:net';
import { ApiError, newNotFound, type Node, type Pod } from '@mk8s/shared';

export interface KubeletAddress {
  host: string;
  port: number;
}

export function isForbiddenProxyTarget(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 127 || a === 0 || (a === 169 && b === 254) || a >= 224;
  }
  if (isIP(ip) === 6) {
    const l = ip.toLowerCase();
    return l === '::1' || l === '::' || l.startsWith('fe80:') || l.startsWith('::ffff:127.') || l.startsWith('ff');
  }
  return true;
}

export function kubeletAddress(node: Node, allowLoopback = false): KubeletAddress {
  const name = node.metadata.name ?? '';
  const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!ip || !port) throw new ApiError(503, 'ServiceUnavailable', `node "${name}" has no kubelet address yet`);
  if (!allowLoopback && isForbiddenProxyTarget(ip)) {
    throw new ApiError(400, 'BadRequest', `address not allowed: node "${name}" reports kubelet address ${ip}`);
  }
  return { host: ip, port };
}

/** The container a log/exec request means: the one named, or the only one. */
export function containerFor(pod: Pod, requested: string | undefined): string {
  const names = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
  const podName = pod.metadata.name ?? '';
  if (requested) {
    if (!names.includes(requested)) {
      throw new ApiError(400, 'BadRequest', `container ${requested} is not valid for pod ${podName}`);
    }
    return requested;
  }
  const defaulted = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (defaulted && names.includes(defaulted)) return defaulted;
  if (pod.spec.containers.length === 1) return pod.spec.containers[0]!.name;
  throw new ApiError(
    400,
    'BadRequest',
    `a container name must be specified for pod ${podName}, choose one of: [${pod.spec.containers.map((c) => c.name).join(' ')}]`,
  );
}

export function requireNode(pod: Pod): string {
  if (!pod.spec.nodeName) throw new ApiError(400, 'BadRequest', `pod ${pod.metadata.name} does not have a host assigned`);
  return pod.spec.nodeName;
}

export { newNotFound };
