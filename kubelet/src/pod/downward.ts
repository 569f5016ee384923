/**
 * resourceFieldRef values (downward API, env and volumes) as the kubelet computes them:
 * `limits.*` falls back to the node's allocatable when the container sets no limit,
 * `requests.*` to the limit and then 0; the value is divided by `divisor` (default 1) and
 * rounded up, so a 500m CPU limit reads "1" with divisor 1 and "500" with divisor 1m.
 */
import os from 'node:os';
import { toMilli, type Container, type ResourceFieldSelector } from '@mk8s/shared';
import { ContainerConfigError } from './env.js';

const nodeAllocatable: Record<string, () => number> = {
  cpu: () => (os.cpus().length || 1) * 1000,
  memory: () => os.totalmem() * 1000,
  'ephemeral-storage': () => 0,
};

/** The value of `ref` for container `c`, as the decimal string the container sees. */
export function resourceFieldValue(c: Container, ref: ResourceFieldSelector): string {
  const [kind, name = ''] = ref.resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !(name in nodeAllocatable)) {
    throw new ContainerConfigError(`unsupported resourceFieldRef resource ${JSON.stringify(ref.resource)}`);
  }
  const limit = c.resources?.limits?.[name];
  const request = c.resources?.requests?.[name];
  // values in milli-units, so "500m" of cpu and "1Gi" of memory share one code path
  const value = kind === 'limits' ? (limit !== undefined ? toMilli(limit) : nodeAllocatable[name]!()) : request !== undefined ? toMilli(request) : limit !== undefined ? toMilli(limit) : 0;
  const divisor = toMilli(ref.divisor ?? '1');
  if (divisor <= 0) throw new ContainerConfigError(`resourceFieldRef divisor must be positive`);
  return String(Math.ceil(value / divisor));
}
