/**
 * The scheduler's command line: every address, path and tunable is a flag with an env-var
 * fallback (kube-scheduler's names where they exist). `parseOptions` is pure: argv and env in,
 * options out; it throws (commander's error) on bad input.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration as parseDurationValue } from '@mk8s/shared';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

export interface SchedulerFlags {
  kubeconfig?: string;
  server?: string;
  tokenFile?: string;
  caFile?: string;
  opsAddress: string;
  opsPort: number;
  schedulerName: string;
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  leaseNamespace: string;
  leaseName: string;
  identity: string;
  maxInFlightBinds: number;
  percentageOfNodesToScore: number;
  podMaxUnschedulableMs: number;
  recordScheduledEvents: boolean;
}

/** A duration flag value (`15s`, `500ms`, bare seconds) in milliseconds, as a commander error when bad. */
export function parseDuration(s: string): number {
  try {
    return parseDurationValue(s);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function parseIntArg(min: number, max: number) {
  return (s: string): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

const parseBool = (s: string): boolean => {
  if (/^(true|1|yes)$/i.test(s)) return true;
  if (/^(false|0|no)$/i.test(s)) return false;
  throw new InvalidArgumentError('must be true or false');
};

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): SchedulerFlags {
  const e = (name: string): string | undefined => env[name] || undefined;
  const cmd = new Command('mk8s-scheduler')
    .description('mk8s scheduler: binds pending pods to nodes')
    .exitOverride()
    .option('--kubeconfig <path>', 'kubeconfig file (env KUBECONFIG)', e('KUBECONFIG'))
    .option('--server <url>', 'apiserver URL, instead of a kubeconfig (env MK8S_SERVER)', e('MK8S_SERVER'))
    .option('--token-file <path>', 'bearer token file for --server (env MK8S_TOKEN_FILE)', e('MK8S_TOKEN_FILE'))
    .option('--ca-file <path>', "CA certificate of the apiserver for --server (env MK8S_CA_FILE)", e('MK8S_CA_FILE'))
    .option('--ops-address <ip>', 'address of the /healthz and /metrics endpoint (env SCHEDULER_OPS_ADDRESS)', e('SCHEDULER_OPS_ADDRESS') ?? '127.0.0.1')
    .addOption(
      new Option('--ops-port <port>', 'port of the ops endpoint; 0 picks a free port (env SCHEDULER_OPS_PORT)')
        .argParser(parseIntArg(0, 65535))
        .default(Number(e('SCHEDULER_OPS_PORT') ?? 10259)),
    )
    .option('--scheduler-name <name>', 'schedule pods whose spec.schedulerName is this', e('SCHEDULER_NAME') ?? 'default-scheduler')
    .addOption(new Option('--leader-elect [bool]', 'elect a leader through a Lease before scheduling').argParser(parseBool).default(parseBool(e('SCHEDULER_LEADER_ELECT') ?? 'true')))
    .option('--no-leader-elect', 'schedule without leader election')
    .addOption(new Option('--leader-elect-lease-duration <duration>').argParser(parseDuration).default(15_000))
    .addOption(new Option('--leader-elect-renew-deadline <duration>').argParser(parseDuration).default(10_000))
    .addOption(new Option('--leader-elect-retry-period <duration>').argParser(parseDuration).default(2_000))
    .option('--leader-elect-resource-namespace <ns>', 'namespace of the leader Lease', 'kube-system')
    .option('--leader-elect-resource-name <name>', 'name of the leader Lease', 'kube-scheduler')
    .option('--identity <id>', 'holder identity for leader election (default hostname_uuid)')
    .addOption(new Option('--max-inflight-binds <n>', 'binding requests in flight at once').argParser(parseIntArg(1, 1024)).default(32))
    .addOption(
      new Option('--percentage-of-nodes-to-score <pct>', 'share of nodes to find feasible before scoring; 0 = adaptive')
        .argParser(parseIntArg(0, 100))
        .default(0),
    )
    .addOption(
      new Option('--pod-max-in-unschedulable-pods-duration <duration>', 'retry an unschedulable pod at least this often')
        .argParser(parseDuration)
        .default(60_000),
    )
    .addOption(new Option('--record-scheduled-events [bool]', "record a 'Scheduled' event per bound pod").argParser(parseBool).default(true));
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<{
    kubeconfig?: string;
    server?: string;
    tokenFile?: string;
    caFile?: string;
    opsAddress: string;
    opsPort: number;
    schedulerName: string;
    leaderElect: boolean;
    leaderElectLeaseDuration: number;
    leaderElectRenewDeadline: number;
    leaderElectRetryPeriod: number;
    leaderElectResourceNamespace: string;
    leaderElectResourceName: string;
    identity?: string;
    maxInflightBinds: number;
    percentageOfNodesToScore: number;
    podMaxInUnschedulablePodsDuration: number;
    recordScheduledEvents: boolean;
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
    schedulerName: o.schedulerName,
    leaderElect: o.leaderElect,
    leaseDurationMs: o.leaderElectLeaseDuration,
    renewDeadlineMs: o.leaderElectRenewDeadline,
    retryPeriodMs: o.leaderElectRetryPeriod,
    leaseNamespace: o.leaderElectResourceNamespace,
    leaseName: o.leaderElectResourceName,
    identity: o.identity ?? `${hostname()}_${randomUUID()}`,
    maxInFlightBinds: o.maxInflightBinds,
    percentageOfNodesToScore: o.percentageOfNodesToScore,
    podMaxUnschedulableMs: o.podMaxInUnschedulablePodsDuration,
    recordScheduledEvents: o.recordScheduledEvents,
  };
}
