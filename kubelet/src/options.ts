/**
 * The kubelet's command line: every address, path and tunable is a flag with an env-var
 * fallback (kubelet's names where they exist). `parseOptions` is pure - argv and env in,
 * typed options out - and throws commander's error on bad input (a one-line usage error in
 * main). The connection and ops flags are the ones every component shares.
 */
import { Command, InvalidArgumentError } from 'commander';
import {
  addConnectionFlags,
  envOption,
  addOpsFlags,
  connectionFlags,
  intArg,
  opsFlags,
  type ConnectionFlags,
  type OpsFlags,
} from '@mk8s/shared/component';
import { DEFAULT_PAUSE_IMAGE, DEFAULT_PAUSE_SOURCE } from './images/ensure.js';
import { defaultNodeName } from './node/info.js';

export interface KubeletFlags extends ConnectionFlags, OpsFlags {
  nodeName: string;
  /** InternalIP to report; undefined = the host's first address */
  nodeIp?: string;
  nodeLabels: Record<string, string>;
  rootDir: string;
  /** undefined = wait for the controller-manager to assign one */
  podCidr?: string;
  clusterCidr: string;
  dockerNetwork: string;
  /** undefined = DOCKER_HOST when set, else /var/run/docker.sock */
  dockerSocket?: string;
  address: string;
  port: number;
  pauseImage: string;
  pauseSource: string;
  /** reported capacity; undefined = read from the host */
  cpu?: string;
  memory?: string;
  maxPods: number;
  nodeStatusUpdateFrequencySeconds: number;
  nodeLeaseDurationSeconds: number;
  crashBackoffBaseSeconds: number;
  crashBackoffMaxSeconds: number;
  imageBackoffBaseSeconds: number;
  imageBackoffMaxSeconds: number;
  relistPeriodMs: number;
  syncFrequencySeconds: number;
  clusterDns: string[];
  clusterDomain: string;
}

/** A positive number of seconds (fractions allowed). */
function secondsArg(s: string): number {
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

function cidrArg(s: string): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(s)) throw new InvalidArgumentError(`invalid IPv4 CIDR ${JSON.stringify(s)}`);
  return s;
}

/** `k=v,k2=v2` node labels. */
function labelsArg(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`node label ${JSON.stringify(kv)} is not key=value`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): KubeletFlags {
  const cmd = new Command('mk8s-kubelet').description('mk8s kubelet: runs the pods bound to this node on Docker').exitOverride();
  addConnectionFlags(cmd, env);
  addOpsFlags(cmd, env, { envPrefix: 'KUBELET', port: 10248 });
  const opt = <T>(flags: string, help: string, envName: string, def?: T, parse?: (s: string) => T) => envOption(flags, help, env, envName, def, parse);
  const seconds = (flag: string, help: string, envName: string, def: number) => opt(`${flag} <seconds>`, help, envName, def, secondsArg);
  cmd
    .addOption(opt('--node-name <name>', 'node name', 'NODE_NAME', defaultNodeName()))
    .addOption(opt('--node-ip <ip>', 'InternalIP reported for the node', 'NODE_IP'))
    .addOption(opt('--node-labels <k=v,...>', 'extra node labels', 'NODE_LABELS', {}, labelsArg))
    .addOption(opt('--root-dir <dir>', 'kubelet state dir (default /var/lib/mk8s/kubelet-<node>)', 'KUBELET_ROOT_DIR'))
    .addOption(opt('--pod-cidr <cidr>', "this node's pod CIDR (else wait for the controller-manager)", 'POD_CIDR', undefined, cidrArg))
    .addOption(opt('--cluster-cidr <cidr>', 'subnet of the Docker pod network', 'CLUSTER_CIDR', '10.244.0.0/16', cidrArg))
    .addOption(opt('--docker-network <name>', 'Docker network for pods', 'DOCKER_NETWORK', 'mk8s'))
    .addOption(opt('--docker-socket <path>', 'Docker socket (default: DOCKER_HOST, else /var/run/docker.sock)', 'DOCKER_SOCKET'))
    .addOption(opt('--address <ip>', 'kubelet server address', 'KUBELET_ADDRESS', '0.0.0.0'))
    .addOption(opt('--port <n>', 'kubelet server port (0 = free port)', 'KUBELET_PORT', 10250, intArg(0, 65535)))
    .addOption(opt('--pause-image <ref>', 'pause image', 'PAUSE_IMAGE', DEFAULT_PAUSE_IMAGE))
    .addOption(opt('--pause-source <path>', 'pause.c to build the pause image from', 'PAUSE_SOURCE', DEFAULT_PAUSE_SOURCE))
    .addOption(opt('--cpu <n>', 'reported cpu capacity (default: the host)', 'NODE_CPU'))
    .addOption(opt('--memory <q>', 'reported memory capacity (default: the host)', 'NODE_MEMORY'))
    .addOption(opt('--max-pods <n>', 'reported pod capacity', 'MAX_PODS', 110, intArg(1, 100_000)))
    .addOption(seconds('--node-status-update-frequency', 'node status update period', 'NODE_STATUS_UPDATE_FREQUENCY', 10))
    .addOption(seconds('--node-lease-duration', 'node lease duration', 'NODE_LEASE_DURATION', 40))
    .addOption(seconds('--crash-backoff-base', 'container restart back-off base', 'CRASH_BACKOFF_BASE', 10))
    .addOption(seconds('--crash-backoff-max', 'container restart back-off cap', 'CRASH_BACKOFF_MAX', 300))
    .addOption(seconds('--image-backoff-base', 'image pull back-off base', 'IMAGE_BACKOFF_BASE', 10))
    .addOption(seconds('--image-backoff-max', 'image pull back-off cap', 'IMAGE_BACKOFF_MAX', 300))
    .addOption(opt('--relist-period <ms>', 'container relist period in milliseconds', 'RELIST_PERIOD', 1000, intArg(10, 600_000)))
    .addOption(seconds('--sync-frequency', 'periodic pod resync', 'SYNC_FREQUENCY', 10))
    .addOption(opt('--cluster-dns <ip,...>', 'DNS servers for ClusterFirst pods', 'CLUSTER_DNS', ''))
    .addOption(opt('--cluster-domain <domain>', 'cluster DNS domain', 'CLUSTER_DOMAIN', 'cluster.local'));
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<Record<string, unknown>>();
  const str = (k: string): string | undefined => (o[k] === undefined ? undefined : String(o[k]));
  const nodeName = String(o.nodeName);
  return {
    ...connectionFlags(o),
    ...opsFlags(o),
    nodeName,
    nodeIp: str('nodeIp'),
    nodeLabels: o.nodeLabels as Record<string, string>,
    rootDir: str('rootDir') ?? `/var/lib/mk8s/kubelet-${nodeName}`,
    podCidr: str('podCidr'),
    clusterCidr: String(o.clusterCidr),
    dockerNetwork: String(o.dockerNetwork),
    dockerSocket: str('dockerSocket'),
    address: String(o.address),
    port: Number(o.port),
    pauseImage: String(o.pauseImage),
    pauseSource: String(o.pauseSource),
    cpu: str('cpu'),
    memory: str('memory'),
    maxPods: Number(o.maxPods),
    nodeStatusUpdateFrequencySeconds: Number(o.nodeStatusUpdateFrequency),
    nodeLeaseDurationSeconds: Number(o.nodeLeaseDuration),
    crashBackoffBaseSeconds: Number(o.crashBackoffBase),
    crashBackoffMaxSeconds: Number(o.crashBackoffMax),
    imageBackoffBaseSeconds: Number(o.imageBackoffBase),
    imageBackoffMaxSeconds: Number(o.imageBackoffMax),
    relistPeriodMs: Number(o.relistPeriod),
    syncFrequencySeconds: Number(o.syncFrequency),
    clusterDns: String(o.clusterDns).split(',').map((s) => s.trim()).filter(Boolean),
    clusterDomain: String(o.clusterDomain),
  };
}
