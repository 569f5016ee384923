#!/usr/bin/env node
/**
 * mk8s-scheduler: parses flags, connects to the apiserver, serves /healthz and /metrics, syncs
 * the pod and node informers, and schedules while it holds the `kube-system/kube-scheduler`
 * Lease (or always, with --leader-elect=false). Losing the lease ends the process, as
 * kube-scheduler does: a replica that cannot renew must stop binding at once. SIGTERM/SIGINT
 * release the lease, wait for binds in flight and exit 0.
 */
import { EventRecorder, LeaderElector, newRootLogger, resolveClientConfig, RestClient, startOpsServer } from '@mk8s/shared';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { SchedulerApp } from './app.js';
import { parseOptions } from './options.js';

async function main(): Promise<void> {
  const log = newRootLogger('scheduler');
  let flags;
  try {
    flags = parseOptions(process.argv.slice(2));
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
    log.fatal({ err: e.message }, 'bad flags');
    process.exit(2);
  }
  const client = new RestClient(
    resolveClientConfig({ kubeconfig: flags.kubeconfig, server: flags.server, tokenFile: flags.tokenFile, caFile: flags.caFile, userAgent: 'mk8s-scheduler' }),
  );
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

  let shuttingDown = false;
  let elector: LeaderElector | undefined;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    await elector?.stop();
    await app.stop();
    await ops.close();
    client.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await app.start();
  } catch (err) {
    if (shuttingDown) return; // stopped before the informers synced
    throw err;
  }
  log.info({ nodes: app.nodeInformer.list().length, pods: app.podInformer.list().length }, 'informers synced');
  if (!flags.leaderElect) {
    void app.runScheduling();
    return;
  }
  elector = new LeaderElector({
    client,
    namespace: flags.leaseNamespace,
    name: flags.leaseName,
    identity: flags.identity,
    leaseDurationMs: flags.leaseDurationMs,
    renewDeadlineMs: flags.renewDeadlineMs,
    retryPeriodMs: flags.retryPeriodMs,
    logger: log,
    onStartedLeading: (signal: AbortSignal) => {
      log.info({ identity: flags.identity }, 'started leading');
      void app.runScheduling(signal);
    },
    onStoppedLeading: () => {
      if (shuttingDown) return;
      log.error({ identity: flags.identity }, 'leader election lost');
      process.exit(1);
    },
  });
  void elector.run();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
