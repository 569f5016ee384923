#!/usr/bin/env node
/**
 * mk8s-controller-manager: parses flags, connects to the apiserver, serves /healthz and /metrics,
 * and runs the enabled controllers while it holds the `kube-system/kube-controller-manager`
 * Lease (or always, with --leader-elect=false). Losing the lease ends the process with status 1,
 * as kube-controller-manager does: a replica that cannot renew must stop writing at once.
 * SIGTERM/SIGINT stop the controllers, release the lease and exit 0.
 */
import { EventRecorder, LeaderElector, newRootLogger, resolveClientConfig, RestClient, startOpsServer } from '@mk8s/shared';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CONTROLLERS } from './controllers/index.js';
import { ControllerManager } from './manager.js';
import { controllerEnabled, parseOptions, type ManagerFlags } from './options.js';

async function main(): Promise<void> {
  const log = newRootLogger('controller-manager');
  let flags: ManagerFlags;
  try {
    flags = parseOptions(process.argv.slice(2));
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
    log.fatal({ err: e.message }, 'bad flags');
    process.exit(2);
  }
  const client = new RestClient(
    resolveClientConfig({ kubeconfig: flags.kubeconfig, server: flags.server, tokenFile: flags.tokenFile, caFile: flags.caFile, userAgent: 'mk8s-controller-manager' }),
  );
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const recorder = new EventRecorder({ client, component: 'controller-manager', logger: log });
  const controllers = CONTROLLERS.filter((c) => controllerEnabled(c.name, flags.controllers));
  log.info({ controllers: controllers.map((c) => c.name) }, 'enabled controllers');
  const manager = new ControllerManager({ client, recorder, logger: log, metrics: registry, options: flags.controllerOptions, controllers });

  let leading = !flags.leaderElect;
  const ops = await startOpsServer({
    host: flags.opsAddress,
    port: flags.opsPort,
    registry,
    checks: { informers: () => !leading || manager.hasSynced() || 'informers not synced' },
  });
  log.info({ address: flags.opsAddress, port: ops.port }, 'ops server listening');

  let shuttingDown = false;
  let elector: LeaderElector | undefined;
  const runCtl = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    runCtl.abort();
    await elector?.stop();
    await running;
    await recorder.flush();
    await ops.close();
    client.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  if (!flags.leaderElect) {
    running = manager.run(runCtl.signal);
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
      leading = true;
      running = manager.run(AbortSignal.any([signal, runCtl.signal]));
    },
    onStoppedLeading: () => {
      leading = false;
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
