/**
 * The controller-manager's command line (kube-controller-manager's flag names where they exist):
 * every address, path and tunable is a flag with an env-var fallback. `parseOptions` is pure:
 * argv and env in, options out; it throws (commander's error) on bad input.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration as parseDurationValue } from '@mk8s/shared';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ControllerOptions } from './context.js';

export interface ManagerFlags {
  kubeconfig?: string;
  server?: string;
  tokenFile?: string;
  caFile?: string;
  opsAddress: string;
  opsPort: number;
  /** `*`, names, `-name` to disable (as kube-controller-manager's --controllers) */
  controllers: string[];
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  leaseNamespace: string;
  leaseName: string;
  identity: string;
  controllerOptions: ControllerOptions;
}

/** A duration flag value (`15s`, `500ms`, bare seconds) in milliseconds, as a commander error when bad. */
export function parseDuration(s: string): number {
  try {
    return parseDurationValue(s);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

const parseIntArg =
  (min: number, max: number) =>
  (s: string): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };

const parseBool = (s: string): boolean => {
  if (/^(true|1|yes)$/i.test(s)) return true;
  if (/^(false|0|no)$/i.test(s)) return false;
  throw new InvalidArgumentError('must be true or false');
};

const parseCidr = (s: string): string => {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(s)) throw new InvalidArgumentError(`invalid IPv4 CIDR ${JSON.stringify(s)}`);
  return s;
};

/** Whether `name` runs under a `--controllers` list (`*` = all, `-x` disables x, `x` enables x). */
export function controllerEnabled(name: string, list: string[]): boolean {
  if (list.includes(`-${name}`)) return false;
  if (list.includes(name)) return true;
  return list.includes('*');
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ManagerFlags {
  const e = (name: string): string | undefined => env[name] || undefined;
  const dur = (flag: string, help: string, envName: string, def: string): Option =>
    new Option(`${flag} <duration>`, `${help} (env ${envName})`).argParser(parseDuration).default(parseDuration(e(envName) ?? def), def);
  const cmd = new Command('mk8s-controller-manager')
    .description('mk8s controller-manager: runs the workload and cluster controllers')
    .exitOverride()
    .option('--kubeconfig <path>', 'kubeconfig file (env KUBECONFIG)', e('KUBECONFIG'))
    .option('--server <url>', 'apiserver URL, instead of a kubeconfig (env MK8S_SERVER)', e('MK8S_SERVER'))
    .option('--token-file <path>', 'bearer token file for --server (env MK8S_TOKEN_FILE)', e('MK8S_TOKEN_FILE'))
    .option('--ca-file <path>', 'CA certificate of the apiserver for --server (env MK8S_CA_FILE)', e('MK8S_CA_FILE'))
    .option('--ops-address <ip>', 'address of /healthz and /metrics (env CONTROLLER_MANAGER_OPS_ADDRESS)', e('CONTROLLER_MANAGER_OPS_ADDRESS') ?? '127.0.0.1')
    .addOption(
      new Option('--ops-port <port>', 'port of the ops endpoint; 0 picks a free port (env CONTROLLER_MANAGER_OPS_PORT)')
        .argParser(parseIntArg(0, 65535))
        .default(Number(e('CONTROLLER_MANAGER_OPS_PORT') ?? 10257)),
    )
    .option('--controllers <list>', "controllers to run: '*' for all, 'name' to enable, '-name' to disable (env CONTROLLER_MANAGER_CONTROLLERS)", e('CONTROLLER_MANAGER_CONTROLLERS') ?? '*')
    .addOption(
      new Option('--concurrent-syncs <n>', 'workers per controller (env CONTROLLER_MANAGER_CONCURRENT_SYNCS)')
        .argParser(parseIntArg(1, 1000))
        .default(Number(e('CONTROLLER_MANAGER_CONCURRENT_SYNCS') ?? 5)),
    )
    .addOption(dur('--node-monitor-grace-period', 'mark a node NotReady/Unknown after this long without a heartbeat', 'NODE_MONITOR_GRACE_PERIOD', '40s'))
    .addOption(dur('--node-monitor-period', 'how often node health is checked', 'NODE_MONITOR_PERIOD', '5s'))
    .addOption(dur('--pod-eviction-timeout', 'default eviction delay for pods on an unreachable node', 'POD_EVICTION_TIMEOUT', '5m'))
    .addOption(new Option('--cluster-cidr <cidr>', 'pod CIDR of the cluster (env CLUSTER_CIDR)').argParser(parseCidr).default(e('CLUSTER_CIDR') ?? '10.244.0.0/16'))
    .addOption(
      new Option('--node-cidr-mask-size <bits>', 'prefix length of each node pod CIDR (env NODE_CIDR_MASK_SIZE)')
        .argParser(parseIntArg(8, 30))
        .default(Number(e('NODE_CIDR_MASK_SIZE') ?? 24)),
    )
    .addOption(dur('--horizontal-pod-autoscaler-sync-period', 'how often HPAs are evaluated', 'HPA_SYNC_PERIOD', '15s'))
    .addOption(dur('--horizontal-pod-autoscaler-downscale-stabilization', 'HPA scale-down stabilization window', 'HPA_DOWNSCALE_STABILIZATION', '300s'))
    .addOption(
      new Option('--max-endpoints-per-slice <n>', 'most endpoints in one EndpointSlice (env MAX_ENDPOINTS_PER_SLICE)')
        .argParser(parseIntArg(1, 1000))
        .default(Number(e('MAX_ENDPOINTS_PER_SLICE') ?? 100)),
    )
    .option('--local-path-base <dir>', 'host directory of local-path volumes (env LOCAL_PATH_BASE)', e('LOCAL_PATH_BASE') ?? '/var/lib/mk8s/local-path')
    .option('--local-path-helper-image <image>', 'image of the local-path cleanup helper pod (env LOCAL_PATH_HELPER_IMAGE)', e('LOCAL_PATH_HELPER_IMAGE') ?? 'mk8s/busybox:1')
    .addOption(new Option('--leader-elect [bool]', 'elect a leader through a Lease before running controllers').argParser(parseBool).default(parseBool(e('CONTROLLER_MANAGER_LEADER_ELECT') ?? 'true')))
    .option('--no-leader-elect', 'run controllers without leader election')
    .addOption(new Option('--leader-elect-lease-duration <duration>').argParser(parseDuration).default(15_000, '15s'))
    .addOption(new Option('--leader-elect-renew-deadline <duration>').argParser(parseDuration).default(10_000, '10s'))
    .addOption(new Option('--leader-elect-retry-period <duration>').argParser(parseDuration).default(2_000, '2s'))
    .option('--leader-elect-resource-namespace <ns>', 'namespace of the leader Lease', 'kube-system')
    .option('--leader-elect-resource-name <name>', 'name of the leader Lease', 'kube-controller-manager')
    .option('--identity <id>', 'holder identity for leader election (default hostname_uuid)');
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<{
    kubeconfig?: string;
    server?: string;
    tokenFile?: string;
    caFile?: string;
    opsAddress: string;
    opsPort: number;
    controllers: string;
    concurrentSyncs: number;
    nodeMonitorGracePeriod: number;
    nodeMonitorPeriod: number;
    podEvictionTimeout: number;
    clusterCidr: string;
    nodeCidrMaskSize: number;
    horizontalPodAutoscalerSyncPeriod: number;
    horizontalPodAutoscalerDownscaleStabilization: number;
    maxEndpointsPerSlice: number;
    localPathBase: string;
    localPathHelperImage: string;
    leaderElect: boolean;
    leaderElectLeaseDuration: number;
    leaderElectRenewDeadline: number;
    leaderElectRetryPeriod: number;
    leaderElectResourceNamespace: string;
    leaderElectResourceName: string;
    identity?: string;
  }>();
  if (o.leaderElectRenewDeadline >= o.leaderElectLeaseDuration) throw new InvalidArgumentError('--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration');
  if (o.leaderElectRetryPeriod >= o.leaderElectRenewDeadline) throw new InvalidArgumentError('--leader-elect-retry-period must be shorter than --leader-elect-renew-deadline');
  return {
    kubeconfig: o.kubeconfig,
    server: o.server,
    tokenFile: o.tokenFile,
    caFile: o.caFile,
    opsAddress: o.opsAddress,
    opsPort: o.opsPort,
    controllers: o.controllers.split(',').map((s) => s.trim()).filter(Boolean),
    leaderElect: o.leaderElect,
    leaseDurationMs: o.leaderElectLeaseDuration,
    renewDeadlineMs: o.leaderElectRenewDeadline,
    retryPeriodMs: o.leaderElectRetryPeriod,
    leaseNamespace: o.leaderElectResourceNamespace,
    leaseName: o.leaderElectResourceName,
    identity: o.identity ?? `${hostname()}_${randomUUID()}`,
    controllerOptions: {
      concurrentSyncs: o.concurrentSyncs,
      nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriod,
      nodeMonitorPeriodMs: o.nodeMonitorPeriod,
      podEvictionTimeoutMs: o.podEvictionTimeout,
      clusterCidr: o.clusterCidr,
      nodeCidrMaskSize: o.nodeCidrMaskSize,
      hpaSyncPeriodMs: o.horizontalPodAutoscalerSyncPeriod,
      hpaDownscaleStabilizationMs: o.horizontalPodAutoscalerDownscaleStabilization,
      localPathBase: o.localPathBase,
      localPathHelperImage: o.localPathHelperImage,
      maxEndpointsPerSlice: o.maxEndpointsPerSlice,
    },
  };
}
