import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('parseOptions', () => {
  it('has kube-scheduler defaults', () => {
    const o = parseOptions(['--kubeconfig', '/k'], {});
    expect(o).toMatchObject({
      kubeconfig: '/k',
      opsAddress: '127.0.0.1',
      opsPort: 10259,
      schedulerName: 'default-scheduler',
      leaderElect: true,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      leaseNamespace: 'kube-system',
      leaseName: 'kube-scheduler',
      maxInFlightBinds: 32,
      podMaxUnschedulableMs: 60_000,
      recordScheduledEvents: true,
    });
    expect(o.identity).toMatch(/_/);
  });

  it.each([
    { name: 'no flag', args: [], want: true },
    { name: '--leader-elect=false', args: ['--leader-elect=false'], want: false },
    { name: '--leader-elect false', args: ['--leader-elect', 'false'], want: false },
    { name: '--no-leader-elect', args: ['--no-leader-elect'], want: false },
    { name: '--leader-elect', args: ['--leader-elect'], want: true },
  ])('leader election: $name', ({ args, want }) => {
    expect(parseOptions(args, {}).leaderElect).toBe(want);
  });

  it('reads env fallbacks and durations', () => {
    const o = parseOptions(['--leader-elect-lease-duration', '4s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '500ms', '--ops-port', '0'], {
      KUBECONFIG: '/env/k',
      SCHEDULER_OPS_ADDRESS: '0.0.0.0',
    });
    expect(o).toMatchObject({ kubeconfig: '/env/k', opsAddress: '0.0.0.0', opsPort: 0, leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 });
  });

  it('refuses a renew deadline not shorter than the lease', () => {
    expect(() => parseOptions(['--leader-elect-lease-duration', '5s', '--leader-elect-renew-deadline', '5s'], {})).toThrow(/renew-deadline/);
  });
});
