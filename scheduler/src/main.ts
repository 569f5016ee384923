#!/usr/bin/env node
/**
 * mk8s-scheduler: parses flags, connects to the apiserver, serves /healthz and /metrics, syncs
 * the pod and node informers, and schedules while it holds the `kube-system/kube-scheduler`
 * Lease (or always, with --leader-elect=false). Losing the lease ends the process, as
 * kube-scheduler does: a replica that cannot renew must stop binding at once. SIGTERM/SIGINT
 * release the lease, wait for binds in flight and exit 0.
 */
import { EventRecorder, newRootLogger, startOpsServer, type LeaderElector } from '@mk8s/shared';
import { connect, onTermination, parseFlagsOrExit, runWithLeaderElection } from '@mk8s/shared/component';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { SchedulerApp } from './app.js';
import { parseOptions } from './options.js';

async function main(): Promise<void> {
  const log = newRootLogger('scheduler');
  const flags = parseFlagsOrExit(log, () => parseOptions(process.argv.slice(2)));
  const client = connect(flags, 'mk8s-scheduler');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const recorder = new EventRecorder({ client, component: flags.schedulerName, logger: log });
  const app = new SchedulerApp({
    client,
    logger: log,
    recorder,
    registry,
    schedulerName: flags.schedulerName,
    percentageOfNodesToScore: flags.percentageOfNodesToScore,
    maxInFlightBinds: flags.maxInFlightBinds,
    recordScheduledEvents: flags.recordScheduledEvents,
    queue: { maxUnschedulableMs: flags.podMaxUnschedulableMs },
  });
  const ops = await startOpsServer({
    host: flags.opsAddress,
    port: flags.opsPort,
    registry,
    checks: { informers: () => app.hasSynced() || 'informers not synced' },
  });
  log.info({ address: flags.opsAddress, port: ops.port }, 'ops server listening');

  let elector: LeaderElector | undefined;
  const stopping = onTermination(log, async () => {
    await elector?.stop();
    await app.stop();
    await ops.close();
    client.close();
  });

  try {
    await app.start();
  } catch (err) {
    if (stopping()) return; // stopped before the informers synced
    throw err;
  }
  log.info({ nodes: app.nodeInformer.list().length, pods: app.podInformer.list().length }, 'informers synced');
  elector = runWithLeaderElection({ client, flags, log, stopping, run: (signal) => void app.runScheduling(signal) });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
