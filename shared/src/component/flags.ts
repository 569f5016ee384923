/**
 * Command-line flags every long-running component shares, as commander options with an
 * env-var fallback (kube-* flag names): how to reach the apiserver, where /healthz and
 * /metrics listen, and leader election. Each `add*` puts the options on a command; the
 * matching `*Flags` reads them back from `cmd.opts()` into typed values. The arg parsers
 * throw commander's InvalidArgumentError, so a bad value is a one-line usage error.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDuration } from '../durations.js';

export type Env = NodeJS.ProcessEnv;

const envValue = (env: Env, name: string): string | undefined => env[name] || undefined;

/** An integer flag value within [min, max]. */
export const intArg =
  (min: number, max: number) =>
  (s: string): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };

export function boolArg(s: string): boolean {
  if (/^(true|1|yes)$/i.test(s)) return true;
  if (/^(false|0|no)$/i.test(s)) return false;
  throw new InvalidArgumentError('must be true or false');
}

/** A duration flag value (`15s`, `500ms`, `1m30s`, bare seconds) in milliseconds. */
export function durationArg(s: string): number {
  try {
    return parseDuration(s);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/**
 * An option whose default is `env[envName]` - parsed like a value given on the command line,
 * so a bad one is the same usage error - or else `def`.
 */
export function envOption<T>(flags: string, help: string, env: Env, envName: string, def?: T, parse?: (s: string) => T): Option {
  const o = new Option(flags, `${help} (env ${envName})`);
  if (parse) o.argParser(parse);
  const fromEnv = envValue(env, envName);
  const v = fromEnv === undefined ? def : parse ? parse(fromEnv) : fromEnv;
  return v === undefined ? o : o.default(v);
}

/** A duration option whose default comes from `envName` or `def`, shown as written. */
export function durationOption(flag: string, help: string, env: Env, envName: string, def: string): Option {
  return new Option(`${flag} <duration>`, `${help} (env ${envName})`).argParser(durationArg).default(durationArg(envValue(env, envName) ?? def), def);
}

export interface ConnectionFlags {
  kubeconfig?: string;
  server?: string;
  tokenFile?: string;
  caFile?: string;
}

/** --kubeconfig, or --server with --token-file and --ca-file. */
export function addConnectionFlags(cmd: Command, env: Env): Command {
  return cmd
    .option('--kubeconfig <path>', 'kubeconfig file (env KUBECONFIG)', envValue(env, 'KUBECONFIG'))
    .option('--server <url>', 'apiserver URL, instead of a kubeconfig (env MK8S_SERVER)', envValue(env, 'MK8S_SERVER'))
    .option('--token-file <path>', 'bearer token file for --server (env MK8S_TOKEN_FILE)', envValue(env, 'MK8S_TOKEN_FILE'))
    .option('--ca-file <path>', 'CA certificate of the apiserver for --server (env MK8S_CA_FILE)', envValue(env, 'MK8S_CA_FILE'));
}

export function connectionFlags(o: Record<string, unknown>): ConnectionFlags {
  const s = (k: string) => (o[k] === undefined ? undefined : String(o[k]));
  return { kubeconfig: s('kubeconfig'), server: s('server'), tokenFile: s('tokenFile'), caFile: s('caFile') };
}

export interface OpsFlags {
  opsAddress: string;
  opsPort: number;
}

/** --ops-address and --ops-port (env <PREFIX>_OPS_ADDRESS, <PREFIX>_OPS_PORT) of /healthz and /metrics. */
export function addOpsFlags(cmd: Command, env: Env, o: { envPrefix: string; port: number }): Command {
  const [addr, port] = [`${o.envPrefix}_OPS_ADDRESS`, `${o.envPrefix}_OPS_PORT`];
  return cmd
    .option('--ops-address <ip>', `address of /healthz and /metrics (env ${addr})`, envValue(env, addr) ?? '127.0.0.1')
    .addOption(
      new Option('--ops-port <port>', `port of /healthz and /metrics; 0 picks a free port (env ${port})`)
        .argParser(intArg(0, 65535))
        .default(intArg(0, 65535)(envValue(env, port) ?? String(o.port))),
    );
}

export function opsFlags(o: Record<string, unknown>): OpsFlags {
  return { opsAddress: String(o.opsAddress), opsPort: Number(o.opsPort) };
}

export interface LeaderElectionFlags {
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  leaseNamespace: string;
  leaseName: string;
  identity: string;
}

/** kube-*'s --leader-elect* flags; `leaseName` is the default Lease in kube-system. */
export function addLeaderElectionFlags(cmd: Command, env: Env, o: { envPrefix: string; leaseName: string; what: string }): Command {
  const elect = `${o.envPrefix}_LEADER_ELECT`;
  return cmd
    .addOption(
      new Option('--leader-elect [bool]', `elect a leader through a Lease before ${o.what} (env ${elect})`)
        .argParser(boolArg)
        .default(boolArg(envValue(env, elect) ?? 'true')),
    )
    .option('--no-leader-elect', `${o.what} without leader election`)
    .addOption(new Option('--leader-elect-lease-duration <duration>').argParser(durationArg).default(15_000, '15s'))
    .addOption(new Option('--leader-elect-renew-deadline <duration>').argParser(durationArg).default(10_000, '10s'))
    .addOption(new Option('--leader-elect-retry-period <duration>').argParser(durationArg).default(2_000, '2s'))
    .option('--leader-elect-resource-namespace <ns>', 'namespace of the leader Lease', 'kube-system')
    .option('--leader-elect-resource-name <name>', 'name of the leader Lease', o.leaseName)
    .option('--identity <id>', 'holder identity for leader election (default hostname_uuid)');
}

/** Reads the leader election flags; the renew deadline must fall between retry period and lease duration. */
export function leaderElectionFlags(o: Record<string, unknown>): LeaderElectionFlags {
  const f: LeaderElectionFlags = {
    leaderElect: Boolean(o.leaderElect),
    leaseDurationMs: Number(o.leaderElectLeaseDuration),
    renewDeadlineMs: Number(o.leaderElectRenewDeadline),
    retryPeriodMs: Number(o.leaderElectRetryPeriod),
    leaseNamespace: String(o.leaderElectResourceNamespace),
    leaseName: String(o.leaderElectResourceName),
    identity: o.identity === undefined ? `${hostname()}_${randomUUID()}` : String(o.identity),
  };
  if (f.renewDeadlineMs >= f.leaseDurationMs) throw new InvalidArgumentError('--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration');
  if (f.retryPeriodMs >= f.renewDeadlineMs) throw new InvalidArgumentError('--leader-elect-retry-period must be shorter than --leader-elect-renew-deadline');
  return f;
}
