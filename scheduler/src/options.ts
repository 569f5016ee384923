/**
 * The scheduler's command line: every address, path and tunable is a flag with an env-var
 * fallback (kube-scheduler's names where they exist). `parseOptions` is pure: argv and env in,
 * options out; it throws (commander's error) on bad input. The connection, ops and leader
 * election flags are the ones every component shares (@mk8s/shared/component).
 */
import { Command, Option } from 'commander';
import {
  addConnectionFlags,
  addLeaderElectionFlags,
  addOpsFlags,
  boolArg,
  connectionFlags,
  durationArg,
  intArg,
  leaderElectionFlags,
  opsFlags,
  type ConnectionFlags,
  type LeaderElectionFlags,
  type OpsFlags,
} from '@mk8s/shared/component';

export interface SchedulerFlags extends ConnectionFlags, OpsFlags, LeaderElectionFlags {
  schedulerName: string;
  maxInFlightBinds: number;
  percentageOfNodesToScore: number;
  podMaxUnschedulableMs: number;
  recordScheduledEvents: boolean;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): SchedulerFlags {
  const cmd = new Command('mk8s-scheduler').description('mk8s scheduler: binds pending pods to nodes').exitOverride();
  addConnectionFlags(cmd, env);
  addOpsFlags(cmd, env, { envPrefix: 'SCHEDULER', port: 10259 });
  addLeaderElectionFlags(cmd, env, { envPrefix: 'SCHEDULER', leaseName: 'kube-scheduler', what: 'scheduling' });
  cmd
    .option('--scheduler-name <name>', 'schedule pods whose spec.schedulerName is this (env SCHEDULER_NAME)', env.SCHEDULER_NAME || 'default-scheduler')
    .addOption(new Option('--max-inflight-binds <n>', 'binding requests in flight at once').argParser(intArg(1, 1024)).default(32))
    .addOption(
      new Option('--percentage-of-nodes-to-score <pct>', 'share of nodes to find feasible before scoring; 0 = adaptive').argParser(intArg(0, 100)).default(0),
    )
    .addOption(
      new Option('--pod-max-in-unschedulable-pods-duration <duration>', 'retry an unschedulable pod at least this often')
        .argParser(durationArg)
        .default(60_000, '60s'),
    )
    .addOption(new Option('--record-scheduled-events [bool]', "record a 'Scheduled' event per bound pod").argParser(boolArg).default(true));
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<Record<string, unknown>>();
  return {
    ...connectionFlags(o),
    ...opsFlags(o),
    ...leaderElectionFlags(o),
    schedulerName: String(o.schedulerName),
    maxInFlightBinds: Number(o.maxInflightBinds),
    percentageOfNodesToScore: Number(o.percentageOfNodesToScore),
    podMaxUnschedulableMs: Number(o.podMaxInUnschedulablePodsDuration),
    recordScheduledEvents: Boolean(o.recordScheduledEvents),
  };
}
