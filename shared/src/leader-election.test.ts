import { describe, it, expect } from 'vitest';
import { ApiError } from './api/errors.js';
import type { Lease } from './api/apps.js';
import { RESOURCES } from './api/resources.js';
import { LeaderElector, microTime } from './leader-election.js';
import { FakeClient } from './testing/fake-client.js';
import { FakeClock, flushPromises } from './testing/fake-clock.js';

function setup() {
  const clock = new FakeClock();
  const fake = new FakeClient({ clock });
  const events: string[] = [];
  const signals: Record<string, AbortSignal> = {};
  const elector = (identity: string) =>
    new LeaderElector({
      client: fake,
      name: 'kube-scheduler',
      identity,
      clock,
      sleep: clock.sleep,
      onStartedLeading: (signal) => {
        signals[identity] = signal;
        events.push(`${identity} started`);
      },
      onStoppedLeading: () => events.push(`${identity} stopped`),
    });
  const lease = () => fake.stored<Lease>(RESOURCES.leases, 'kube-system', 'kube-scheduler');
  return { clock, fake, events, signals, elector, lease };
}

describe('LeaderElector', () => {
  it('one of two candidates leads; the standby waits while the leader renews', async () => {
    const { clock, events, elector, lease } = setup();
    const a = elector('a');
    const b = elector('b');
    void a.run();
    await flushPromises();
    void b.run();
    await clock.advance(0);
    expect(events).toEqual(['a started']);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    expect(b.getLeader()).toBe('a');
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    const acquired = lease()!.spec.acquireTime;
    await clock.advance(60_000);
    expect(events).toEqual(['a started']);
    expect(lease()?.spec.holderIdentity).toBe('a');
    expect(lease()?.spec.acquireTime).toBe(acquired);
    expect(Date.parse(lease()!.spec.renewTime!)).toBeGreaterThan(clock.now() - 2_001);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a leader that cannot renew stops at the renew deadline; the standby takes over after the lease expires', async () => {
    const { clock, fake, events, signals, elector, lease } = setup();
    const a = elector('a');
    const b = elector('b');
    const aDone = a.run();
    await clock.advance(0);
    void b.run();
    await clock.advance(0);
    const lastRenew = Date.parse(lease()!.spec.renewTime!);
    const cutAt = clock.now();
    fake.prependReactor('update', 'leases', (action) => {
      if ((action.body as Lease).spec.holderIdentity === 'a') throw new ApiError(503, 'ServiceUnavailable', 'partitioned');
    });
    let stoppedAt = 0;
    let tookOverAt = 0;
    for (let t = 0; t < 40_000 && !tookOverAt; t += 500) {
      await clock.advance(500);
      if (!stoppedAt && events.includes('a stopped')) stoppedAt = clock.now();
      if (!tookOverAt && events.includes('b started')) tookOverAt = clock.now();
    }
    await aDone;
    expect(events).toEqual(['a started', 'a stopped', 'b started']);
    expect(signals.a!.aborted).toBe(true);
    expect(signals.b!.aborted).toBe(false);
    // a gives up within renewDeadline (10 s) plus one retry period of its last renewal
    expect(stoppedAt - cutAt).toBeLessThanOrEqual(12_000);
    // b takes over once renewTime + 15 s has passed, within one retry period
    expect(tookOverAt).toBeGreaterThan(lastRenew + 15_000);
    expect(tookOverAt).toBeLessThanOrEqual(lastRenew + 15_000 + 2_500);
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.stop();
  });

  it('a clean stop releases the lease so the standby takes over at its next retry', async () => {
    const { clock, events, elector, lease } = setup();
    const a = elector('a');
    const b = elector('b');
    void a.run();
    await clock.advance(0);
    void b.run();
    await clock.advance(0);
    const stopped = a.stop();
    await clock.advance(0);
    await stopped;
    expect(lease()?.spec.holderIdentity).toBe('');
    expect(events).toEqual(['a started', 'a stopped']);
    await clock.advance(2_000);
    expect(events).toEqual(['a started', 'a stopped', 'b started']);
    expect(lease()?.spec.holderIdentity).toBe('b');
    await b.stop();
    expect(lease()?.spec.holderIdentity).toBe('');
  });

  it('takes over a stale lease left by a crashed holder', async () => {
    const { clock, fake, events, elector, lease } = setup();
    fake.seed(RESOURCES.leases, [
      {
        metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
        spec: { holderIdentity: 'dead', leaseDurationSeconds: 15, renewTime: microTime(clock.now() - 5_000), leaseTransitions: 3 },
      } as Lease,
    ]);
    const b = elector('b');
    void b.run();
    await clock.advance(9_000);
    expect(events).toEqual([]);
    // expires 10 s from now; b retries every 2 s, so the attempt at 12 s wins
    await clock.advance(2_500);
    expect(events).toEqual([]);
    await clock.advance(1_000);
    expect(events).toEqual(['b started']);
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 4 });
    await b.stop();
  });

  it('two candidates racing on a missing lease: exactly one wins', async () => {
    const { clock, events, elector } = setup();
    const a = elector('a');
    const b = elector('b');
    void a.run();
    void b.run();
    await clock.advance(0);
    await clock.advance(10_000);
    expect(events).toHaveLength(1);
    expect(a.isLeader() !== b.isLeader()).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('rejects inconsistent timings', () => {
    const fake = new FakeClient();
    expect(() => new LeaderElector({ client: fake, name: 'x', identity: 'a', leaseDurationMs: 5_000, renewDeadlineMs: 10_000, onStartedLeading: () => undefined })).toThrow(
      'leaseDurationMs must be greater',
    );
  });
});
