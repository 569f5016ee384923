/**
 * What exists from the first start: the system namespaces. Idempotent: runs on every start
 * and leaves existing objects alone.
 */
import { ApiError, type Logger } from '@mk8s/shared';
import type { Registry } from './registry/registry.js';
import type { ResourceDef } from './registry/resource-def.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function ensureSystemNamespaces(registry: Registry, nsDef: ResourceDef, log: Logger): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await registry.create(nsDef, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: false, user: 'system:apiserver' });
      log.info({ namespace: name }, 'namespace created');
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  }
}
