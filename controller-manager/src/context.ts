/**
 * What every controller receives when the controller-manager starts it. A controller's
 * `start(ctx)` registers informer handlers (through `ctx.informers`, so each resource is listed
 * and watched once per process), starts its workers and returns; it must stop all work when
 * `ctx.signal` aborts (leadership lost or shutdown). Informers are started and synced by the
 * manager after every controller's `start` has run, so handlers added in `start` see every object.
 * Controllers never mutate cached objects and talk to the apiserver only through `ctx.client`.
 */
import type { ApiClient, EventRecorder, Logger } from '@mk8s/shared';
import type { Registry } from 'prom-client';
import type { InformerFactory } from './informer-factory.js';

export interface ControllerOptions {
  /** workers per controller (kube-controller-manager's --concurrent-*-syncs, one knob here) */
  concurrentSyncs: number;
  nodeMonitorGracePeriodMs: number;
  nodeMonitorPeriodMs: number;
  /** default eviction delay for pods on a not-ready node (CM-B applies it through taints) */
  podEvictionTimeoutMs: number;
  clusterCidr: string;
  nodeCidrMaskSize: number;
  hpaSyncPeriodMs: number;
  hpaDownscaleStabilizationMs: number;
  /** host directory under which the local-path provisioner creates volumes (one per PV) */
  localPathBase: string;
  /** image of the helper pod that removes a deleted local-path volume's directory */
  localPathHelperImage: string;
  /** most endpoints the EndpointSlice controller puts in one slice (default 100) */
  maxEndpointsPerSlice?: number;
  /** the cluster CA (PEM file) the root-ca-cert-publisher puts in every namespace's kube-root-ca.crt */
  rootCAFile?: string;
}

export interface ControllerContext {
  client: ApiClient;
  informers: InformerFactory;
  recorder: EventRecorder;
  logger: Logger;
  metrics: Registry;
  options: ControllerOptions;
  signal: AbortSignal;
}

export interface ControllerDescriptor {
  name: string;
  start(ctx: ControllerContext): Promise<void> | void;
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  concurrentSyncs: 5,
  nodeMonitorGracePeriodMs: 40_000,
  nodeMonitorPeriodMs: 5_000,
  podEvictionTimeoutMs: 300_000,
  clusterCidr: '10.244.0.0/16',
  nodeCidrMaskSize: 24,
  hpaSyncPeriodMs: 15_000,
  hpaDownscaleStabilizationMs: 300_000,
  localPathBase: '/var/lib/mk8s/local-path',
  localPathHelperImage: 'mk8s/busybox:1',
};
