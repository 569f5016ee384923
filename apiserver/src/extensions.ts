/**
 * Wires the kind-specific parts into the generic server: validation and defaulting
 * strategies, server-side Tables, discovery and OpenAPI routes, protobuf request bodies,
 * the kubelet proxy and allocation hooks.
 */
import type { FastifyInstance } from 'fastify';
import type { Etcd3 } from 'etcd3';
import type { KubeObject, Logger, Service } from '@mk8s/shared';
import { setDefaultTolerationSeconds } from './defaults/pod.js';
import { discoveryRoutes, EXTRA_RESOURCES } from './discovery/index.js';
import { setProtobufDecoder } from './http/body.js';
import { defKey, type TableConverter } from './http/context.js';
import { newServiceAllocators, repairAllocations, serviceHooks } from './services/hooks.js';
import { hostIPv4, reconcileKubernetesService } from './services/kubernetes-service.js';
import { reconcileKubernetesEndpointSlice } from './services/kubernetes-endpointslice.js';
import { decodeProtobufObject } from './protobuf/index.js';
import { daemonSetHooks } from './registry/daemonset-hooks.js';
import type { ResourceDef } from './registry/resource-def.js';
import type { ServerOptions } from './server.js';
import { parseIncludeObject, tableForWatchEvent, toTable, wantsTable } from './tables/index.js';
import { strategies } from './validation/index.js';

export interface ExtensionOptions {
  logger: Logger;
  etcd: Etcd3;
  etcdPrefix: string;
  serviceClusterIPRange: string;
  nodePortRange: string;
  defaultTolerationSeconds: number;
  kubeletToken?: string;
  advertiseAddress?: string;
  securePort: number;
  /** allow kubelets on loopback addresses (single-machine test clusters) */
  allowLoopbackKubelets?: boolean;
}

export type Extensions = Pick<ServerOptions, 'strategies' | 'hooks' | 'tables' | 'kubeletProxy' | 'plugins' | 'bootstrap'>;

export const tableConverter: TableConverter = {
  wants: wantsTable,
  list: (kind: string, items: KubeObject[], o) =>
    toTable(kind, items, { includeObject: parseIncludeObject(o.includeObject), resourceVersion: o.resourceVersion, continue: o.continue }),
  one: (kind: string, obj: KubeObject, o) => tableForWatchEvent(kind, obj, { includeObject: parseIncludeObject(o.includeObject) }),
};

export function discoveryPlugin(app: FastifyInstance, resources: ResourceDef[]): void {
  void app.register(discoveryRoutes, {
    resources,
    extras: [
      ...EXTRA_RESOURCES,
      { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', namespaced: false, verbs: ['create'] },
    ],
  });
}

/** The standard set of extensions, as main.ts and the tests use them. */
export async function serverExtensions(o: ExtensionOptions): Promise<Extensions> {
  setDefaultTolerationSeconds(o.defaultTolerationSeconds);
  setProtobufDecoder(decodeProtobufObject);
  const alloc = newServiceAllocators(o.etcd, o.etcdPrefix, o.serviceClusterIPRange, o.nodePortRange);
  const advertise = o.advertiseAddress ?? hostIPv4();
  return {
    strategies,
    hooks: { services: serviceHooks(alloc), daemonsets: daemonSetHooks },
    bootstrap: [
      async (registry, defs) => {
        const services = await registry.list(defs.get(defKey('', 'v1', 'services'))!, undefined, {});
        await repairAllocations(alloc, services.items as Service[], o.logger);
      },
      (registry, defs) =>
        reconcileKubernetesService(
          registry,
          { services: defs.get(defKey('', 'v1', 'services'))!, endpoints: defs.get(defKey('', 'v1', 'endpoints'))! },
          { clusterIP: alloc.firstIP, advertiseAddress: advertise, port: o.securePort, logger: o.logger },
        ),
      (registry, defs) =>
        reconcileKubernetesEndpointSlice(registry, defs.get(defKey('discovery.k8s.io', 'v1', 'endpointslices'))!, {
          advertiseAddress: advertise,
          port: o.securePort,
          logger: o.logger,
        }),
    ],
    tables: tableConverter,
    plugins: [discoveryPlugin],
    kubeletProxy: { token: o.kubeletToken, allowLoopback: o.allowLoopbackKubelets },
  };
}
