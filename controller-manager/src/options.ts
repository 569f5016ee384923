/**
 * The controller-manager's command line (kube-controller-manager's flag names where they exist):
 * every address, path and tunable is a flag with an env-var fallback. `parseOptions` is pure:
 * argv and env in, options out; it throws (commander's error) on bad input. The connection,
 * ops and leader election flags are the ones every component shares (@mk8s/shared/component).
 */
import { Command, InvalidArgumentError } from 'commander';
import {
  addConnectionFlags,
  addLeaderElectionFlags,
  addOpsFlags,
  connectionFlags,
  durationOption,
  envOption,
  intArg,
  leaderElectionFlags,
  opsFlags,
  type ConnectionFlags,
  type LeaderElectionFlags,
  type OpsFlags,
} from '@mk8s/shared/component';
import type { ControllerOptions } from './context.js';

export interface ManagerFlags extends ConnectionFlags, OpsFlags, LeaderElectionFlags {
  /** `*`, names, `-name` to disable (as kube-controller-manager's --controllers) */
  controllers: string[];
  controllerOptions: ControllerOptions;
}

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
  const dur = (flag: string, help: string, envName: string, def: string) => durationOption(flag, help, env, envName, def);
  const opt = <T>(flags: string, help: string, envName: string, def?: T, parse?: (s: string) => T) => envOption(flags, help, env, envName, def, parse);
  const cmd = new Command('mk8s-controller-manager').description('mk8s controller-manager: runs the workload and cluster controllers').exitOverride();
  addConnectionFlags(cmd, env);
  addOpsFlags(cmd, env, { envPrefix: 'CONTROLLER_MANAGER', port: 10257 });
  addLeaderElectionFlags(cmd, env, { envPrefix: 'CONTROLLER_MANAGER', leaseName: 'kube-controller-manager', what: 'running controllers' });
  cmd
    .addOption(opt('--controllers <list>', "controllers to run: '*' for all, 'name' to enable, '-name' to disable", 'CONTROLLER_MANAGER_CONTROLLERS', '*'))
    .addOption(opt('--concurrent-syncs <n>', 'workers per controller', 'CONTROLLER_MANAGER_CONCURRENT_SYNCS', 5, intArg(1, 1000)))
    .addOption(dur('--node-monitor-grace-period', 'mark a node NotReady/Unknown after this long without a heartbeat', 'NODE_MONITOR_GRACE_PERIOD', '40s'))
    .addOption(dur('--node-monitor-period', 'how often node health is checked', 'NODE_MONITOR_PERIOD', '5s'))
    .addOption(dur('--pod-eviction-timeout', 'default eviction delay for pods on an unreachable node', 'POD_EVICTION_TIMEOUT', '5m'))
    .addOption(opt('--cluster-cidr <cidr>', 'pod CIDR of the cluster', 'CLUSTER_CIDR', '10.244.0.0/16', parseCidr))
    .addOption(opt('--node-cidr-mask-size <bits>', 'prefix length of each node pod CIDR', 'NODE_CIDR_MASK_SIZE', 24, intArg(8, 30)))
    .addOption(dur('--horizontal-pod-autoscaler-sync-period', 'how often HPAs are evaluated', 'HPA_SYNC_PERIOD', '15s'))
    .addOption(dur('--horizontal-pod-autoscaler-downscale-stabilization', 'HPA scale-down stabilization window', 'HPA_DOWNSCALE_STABILIZATION', '300s'))
    .addOption(opt('--max-endpoints-per-slice <n>', 'most endpoints in one EndpointSlice', 'MAX_ENDPOINTS_PER_SLICE', 100, intArg(1, 1000)))
    .addOption(opt('--local-path-base <dir>', 'host directory of local-path volumes', 'LOCAL_PATH_BASE', '/var/lib/mk8s/local-path'))
    .addOption(opt('--local-path-helper-image <image>', 'image of the local-path cleanup helper pod', 'LOCAL_PATH_HELPER_IMAGE', 'mk8s/busybox:1'))
    .addOption(opt('--root-ca-file <path>', 'cluster CA (PEM) published to every namespace as the kube-root-ca.crt ConfigMap', 'ROOT_CA_FILE'));
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<Record<string, unknown>>();
  return {
    ...connectionFlags(o),
    ...opsFlags(o),
    ...leaderElectionFlags(o),
    controllers: String(o.controllers).split(',').map((s) => s.trim()).filter(Boolean),
    controllerOptions: {
      concurrentSyncs: Number(o.concurrentSyncs),
      nodeMonitorGracePeriodMs: Number(o.nodeMonitorGracePeriod),
      nodeMonitorPeriodMs: Number(o.nodeMonitorPeriod),
      podEvictionTimeoutMs: Number(o.podEvictionTimeout),
      clusterCidr: String(o.clusterCidr),
      nodeCidrMaskSize: Number(o.nodeCidrMaskSize),
      hpaSyncPeriodMs: Number(o.horizontalPodAutoscalerSyncPeriod),
      hpaDownscaleStabilizationMs: Number(o.horizontalPodAutoscalerDownscaleStabilization),
      maxEndpointsPerSlice: Number(o.maxEndpointsPerSlice),
      localPathBase: String(o.localPathBase),
      localPathHelperImage: String(o.localPathHelperImage),
      ...(o.rootCaFile ? { rootCAFile: String(o.rootCaFile) } : {}),
    },
  };
}
