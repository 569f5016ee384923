#!/usr/bin/env node
/**
 * mk8s-controller-manager: parses flags, connects to the apiserver, serves /healthz and /metrics,
 * and runs the enabled controllers while it holds the `kube-system/kube-controller-manager`
 * Lease (or always, with --leader-elect=false). Losing the lease ends the process with status 1,
 * as kube-controller-manager does: a replica that cannot renew must stop writing at once.
 * SIGTERM/SIGINT stop the controllers, release the lease and exit 0.
 */
import { setMaxListeners } from 'node:events';
import { EventRecorder, newRootLogger, startOpsServer, type LeaderElector } from '@mk8s/shared';
import { connect, onTermination, parseFlagsOrExit, runWithLeaderElection } from '@mk8s/shared/component';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CONTROLLERS } from './controllers/index.js';
import { ControllerManager } from './manager.js';
import { controllerEnabled, parseOptions } from './options.js';

async function main(): Promise<void> {
  const log = newRootLogger('controller-manager');
  const flags = parseFlagsOrExit(log, () => parseOptions(process.argv.slice(2)));
  const client = connect(flags, 'mk8s-controller-manager');
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

  let elector: LeaderElector | undefined;
  const runCtl = new AbortController();
  // every controller's queue and workers listen on this signal (more than Node's default of 10)
  setMaxListeners(100, runCtl.signal);
  let running: Promise<void> = Promise.resolve();
  const stopping = onTermination(log, async () => {
    runCtl.abort();
    await elector?.stop();
    await running;
    await recorder.flush();
    await ops.close();
    client.close();
  });

  elector = runWithLeaderElection({
    client,
    flags,
    log,
    stopping,
    run: (signal) => {
      leading = true;
      running = manager.run(AbortSignal.any([signal, runCtl.signal]));
    },
    onStoppedLeading: () => {
      leading = false;
    },
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
