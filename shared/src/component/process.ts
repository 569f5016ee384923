/**
 * The start-up and shutdown every long-running component does the same way: flags parsed or
 * a one-line error (exit 2; --help and --version exit 0), a REST client from the connection
 * flags, SIGTERM/SIGINT running the component's stop once and exiting 0, and leader election
 * where losing the Lease ends the process with status 1 (as kube-scheduler and
 * kube-controller-manager do: a replica that cannot renew must stop writing at once).
 */
import { RestClient } from '../client/rest.js';
import { resolveClientConfig } from '../client/config.js';
import { LeaderElector } from '../leader-election.js';
import type { Logger } from '../log.js';
import type { ConnectionFlags, LeaderElectionFlags } from './flags.js';

/** Runs `parse`; on a usage error logs it and exits 2, on --help/--version exits 0. */
export function parseFlagsOrExit<T>(log: Logger, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
    log.fatal({ err: e.message }, 'bad flags');
    process.exit(2);
  }
}

export function connect(flags: ConnectionFlags, userAgent: string): RestClient {
  return new RestClient(resolveClientConfig({ ...flags, userAgent }));
}

/**
 * On the first SIGTERM or SIGINT runs `stop`, logs and exits 0 (1 if `stop` throws).
 * Returns a function telling whether shutdown has begun.
 */
export function onTermination(log: Logger, stop: (signal: string) => Promise<void>): () => boolean {
  let stopping = false;
  const handle = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    stop(signal).then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => handle('SIGTERM'));
  process.on('SIGINT', () => handle('SIGINT'));
  return () => stopping;
}

export interface LeadOptions {
  client: ConstructorParameters<typeof LeaderElector>[0]['client'];
  flags: LeaderElectionFlags;
  log: Logger;
  /** starts the work; `signal` aborts when leadership ends */
  run: (signal: AbortSignal) => void;
  /** true once the process is shutting down (losing the lease then is expected) */
  stopping: () => boolean;
  onStoppedLeading?: () => void;
}

/**
 * Runs the work at once without --leader-elect; otherwise while holding the Lease, exiting 1
 * if it is lost. Returns the elector (to stop it, releasing the Lease, at shutdown).
 */
export function runWithLeaderElection(o: LeadOptions): LeaderElector | undefined {
  const { flags, log } = o;
  if (!flags.leaderElect) {
    o.run(new AbortController().signal);
    return undefined;
  }
  const elector = new LeaderElector({
    client: o.client,
    namespace: flags.leaseNamespace,
    name: flags.leaseName,
    identity: flags.identity,
    leaseDurationMs: flags.leaseDurationMs,
    renewDeadlineMs: flags.renewDeadlineMs,
    retryPeriodMs: flags.retryPeriodMs,
    logger: log,
    onStartedLeading: (signal: AbortSignal) => {
      log.info({ identity: flags.identity }, 'started leading');
      o.run(signal);
    },
    onStoppedLeading: () => {
      o.onStoppedLeading?.();
      if (o.stopping()) return;
      log.error({ identity: flags.identity }, 'leader election lost');
      process.exit(1);
    },
  });
  void elector.run();
  return elector;
}
