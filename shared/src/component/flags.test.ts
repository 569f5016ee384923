import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
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
} from './flags.js';

function parse(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const cmd = new Command('test').exitOverride().configureOutput({ writeErr: () => undefined });
  addConnectionFlags(cmd, env);
  addOpsFlags(cmd, env, { envPrefix: 'TEST', port: 1234 });
  addLeaderElectionFlags(cmd, env, { envPrefix: 'TEST', leaseName: 'test-lease', what: 'testing' });
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<Record<string, unknown>>();
  return { ...connectionFlags(o), ...opsFlags(o), ...leaderElectionFlags(o) };
}

describe('arg parsers', () => {
  it.each([
    ['15s', 15_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['10', 10_000],
    ['1.5s', 1500],
  ])('duration %s -> %d ms', (s, ms) => {
    expect(durationArg(s)).toBe(ms);
  });
  it.each(['', 'abc', '5x', '10s junk'])('duration refuses %j', (s) => {
    expect(() => durationArg(s)).toThrow(/invalid duration/);
  });
  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['False', false],
    ['0', false],
  ])('bool %s -> %s', (s, want) => {
    expect(boolArg(s)).toBe(want);
  });
  it.each([['maybe'], ['']])('bool refuses %j', (s) => {
    expect(() => boolArg(s)).toThrow(/true or false/);
  });
  it.each([['-1'], ['65536'], ['1.5'], ['x']])('port refuses %s', (s) => {
    expect(() => intArg(0, 65535)(s)).toThrow(/integer from 0 to 65535/);
  });
});

describe('shared component flags', () => {
  it('has the defaults', () => {
    const f = parse([]);
    expect(f).toMatchObject({
      opsAddress: '127.0.0.1',
      opsPort: 1234,
      leaderElect: true,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      leaseNamespace: 'kube-system',
      leaseName: 'test-lease',
    });
    expect(f.kubeconfig).toBeUndefined();
    expect(f.identity).toMatch(/_/);
  });

  it('reads the environment, and flags win over it', () => {
    const env = { KUBECONFIG: '/env/k', MK8S_SERVER: 'https://s', TEST_OPS_ADDRESS: '0.0.0.0', TEST_OPS_PORT: '99', TEST_LEADER_ELECT: 'false' };
    expect(parse([], env)).toMatchObject({ kubeconfig: '/env/k', server: 'https://s', opsAddress: '0.0.0.0', opsPort: 99, leaderElect: false });
    expect(parse(['--kubeconfig', '/flag/k', '--ops-port', '0', '--leader-elect'], env)).toMatchObject({ kubeconfig: '/flag/k', opsPort: 0, leaderElect: true });
  });

  it.each([
    { name: '--leader-elect=false', args: ['--leader-elect=false'], want: false },
    { name: '--no-leader-elect', args: ['--no-leader-elect'], want: false },
    { name: '--leader-elect', args: ['--leader-elect'], want: true },
  ])('leader election: $name', ({ args, want }) => {
    expect(parse(args).leaderElect).toBe(want);
  });

  it.each([
    { name: 'renew deadline not shorter than the lease', args: ['--leader-elect-lease-duration', '5s', '--leader-elect-renew-deadline', '5s'], err: /renew-deadline/ },
    { name: 'retry period not shorter than the renew deadline', args: ['--leader-elect-retry-period', '10s'], err: /retry-period/ },
    { name: 'a bad port', args: ['--ops-port', '70000'], err: /65535/ },
    { name: 'a bad port in the environment', args: [], env: { TEST_OPS_PORT: 'x' }, err: /65535/ },
  ])('refuses $name', ({ args, env, err }) => {
    expect(() => parse(args, env)).toThrow(err);
  });
});
