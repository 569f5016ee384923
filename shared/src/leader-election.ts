/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it.
 * - `run()` tries to acquire the lease every `retryPeriodMs`; a lease is free when it does not
 *   exist, has no holder, or its renewTime + leaseDurationSeconds has passed.
 * - Once leading it calls `onStartedLeading(signal)` and renews every `retryPeriodMs`; if it
 *   cannot renew for `renewDeadlineMs` it aborts `signal`, calls `onStoppedLeading()` and `run()`
 *   resolves (components exit then, as Kubernetes' do).
 * - `stop()` ends the loop; a leader releases the lease (empty holderIdentity) so a standby can
 *   take over at its next retry, then `onStoppedLeading()` runs.
 * Every write is an update carrying the resourceVersion read, so two candidates never both win.
 */
import type { Logger } from 'pino';
import type { Lease } from './api/apps.js';
import { isAlreadyExists, isNotFound } from './api/errors.js';
import { RESOURCES } from './api/resources.js';
import type { ApiClient, ResourceApi } from './client/types.js';
import { realClock, realSleep, type Clock, type Sleep } from './clock.js';
import { silentLogger } from './log.js';

export interface LeaderElectorOptions {
  client: ApiClient;
  namespace?: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  logger?: Logger;
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  onStoppedLeading?: () => void;
  /** called when the observed holder changes (including to us) */
  onNewLeader?: (identity: string) => void;
  clock?: Clock;
  sleep?: Sleep;
}

/** MicroTime as the API serialises it: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private readonly leases: ResourceApi<Lease>;
  private readonly namespace: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly stopCtl = new AbortController();
  private leading = false;
  private observedHolder = '';
  private runPromise: Promise<void> | undefined;

  constructor(private readonly opts: LeaderElectorOptions) {
    this.leases = opts.client.resource<Lease>(RESOURCES.leases);
    this.namespace = opts.namespace ?? 'kube-system';
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDurationMs must be greater than renewDeadlineMs');
    if (this.renewDeadlineMs <= this.retryPeriodMs) throw new Error('renewDeadlineMs must be greater than retryPeriodMs');
    this.log = (opts.logger ?? silentLogger()).child({ lease: `${this.namespace}/${opts.name}`, identity: opts.identity });
    this.clock = opts.clock ?? realClock;
    this.sleep = opts.sleep ?? realSleep;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder seen at the last read or write ('' if none). */
  getLeader(): string {
    return this.observedHolder;
  }

  run(): Promise<void> {
    this.runPromise ??= this.loop();
    return this.runPromise;
  }

  /** Stops campaigning; a leader releases the lease. Resolves when run() has finished. */
  stop(): Promise<void> {
    this.stopCtl.abort();
    return this.runPromise ?? Promise.resolve();
  }

  private get stopped(): boolean {
    return this.stopCtl.signal.aborted;
  }

  private async loop(): Promise<void> {
    // acquire
    while (!this.stopped && !(await this.tryAcquireOrRenew())) await this.sleep(this.retryPeriodMs, this.stopCtl.signal);
    if (this.stopped) return;
    this.leading = true;
    this.log.info('became leader');
    const leaderCtl = new AbortController();
    try {
      void Promise.resolve(this.opts.onStartedLeading(leaderCtl.signal)).catch((err: unknown) => this.log.error({ err }, 'onStartedLeading failed'));
    } catch (err) {
      this.log.error({ err }, 'onStartedLeading failed');
    }
    // renew
    while (!this.stopped) {
      await this.sleep(this.retryPeriodMs, this.stopCtl.signal);
      if (this.stopped) break;
      if (!(await this.renewWithinDeadline())) {
        if (this.stopped) break;
        this.log.warn({ renewDeadlineMs: this.renewDeadlineMs }, 'failed to renew lease; stopped leading');
        break;
      }
    }
    leaderCtl.abort();
    this.leading = false;
    if (this.stopped) await this.release();
    try {
      this.opts.onStoppedLeading?.();
    } catch (err) {
      this.log.error({ err }, 'onStoppedLeading failed');
    }
  }

  /** Retries renewal every retryPeriod until it works or renewDeadline has passed. */
  private async renewWithinDeadline(): Promise<boolean> {
    const deadline = this.clock.now() + this.renewDeadlineMs;
    for (;;) {
      const left = deadline - this.clock.now();
      if (left <= 0 || this.stopped) return false;
      if (await this.withTimeout(this.tryAcquireOrRenew(), left)) return true;
      if (deadline - this.clock.now() <= 0) return false;
      await this.sleep(Math.min(this.retryPeriodMs, deadline - this.clock.now()), this.stopCtl.signal);
    }
  }

  /** One attempt: true when we hold the lease afterwards. Errors count as failure. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const me = this.opts.identity;
    const spec: Lease['spec'] = {
      holderIdentity: me,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    try {
      let lease: Lease;
      try {
        lease = await this.leases.get(this.namespace, this.opts.name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await this.leases.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.opts.name, namespace: this.namespace },
          spec,
        });
        this.observe(me);
        return true;
      }
      const cur = lease.spec ?? {};
      const holder = cur.holderIdentity ?? '';
      this.observe(holder);
      if (holder && holder !== me && !this.expired(cur, now)) return false;
      if (holder === me) {
        spec.acquireTime = cur.acquireTime ?? spec.acquireTime;
        spec.leaseTransitions = cur.leaseTransitions ?? 0;
      } else {
        spec.leaseTransitions = (cur.leaseTransitions ?? 0) + 1;
      }
      await this.leases.update({ ...lease, spec });
      this.observe(me);
      return true;
    } catch (err) {
      if (!isAlreadyExists(err)) this.log.debug({ err }, 'lease acquire/renew failed');
      return false;
    }
  }

  private expired(spec: Lease['spec'], now: number): boolean {
    const renew = spec.renewTime ? Date.parse(spec.renewTime) : NaN;
    if (Number.isNaN(renew)) return true;
    const durationMs = (spec.leaseDurationSeconds ?? this.leaseDurationMs / 1000) * 1000;
    return now > renew + durationMs;
  }

  private observe(holder: string): void {
    if (holder === this.observedHolder) return;
    this.observedHolder = holder;
    if (holder) this.log.info({ leader: holder }, 'new leader observed');
    try {
      if (holder) this.opts.onNewLeader?.(holder);
    } catch (err) {
      this.log.error({ err }, 'onNewLeader failed');
    }
  }

  /** Gives the lease up if we still hold it, so a standby need not wait for it to expire. */
  private async release(): Promise<void> {
    try {
      const lease = await this.leases.get(this.namespace, this.opts.name);
      if (lease.spec?.holderIdentity !== this.opts.identity) return;
      const now = microTime(this.clock.now());
      await this.leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now } });
      this.observedHolder = '';
      this.log.info('released lease');
    } catch (err) {
      this.log.warn({ err }, 'failed to release lease');
    }
  }

  private withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const t = this.clock.setTimeout(() => resolve(false), ms);
      void p.then((v) => {
        this.clock.clearTimeout(t);
        resolve(v);
      });
    });
  }
}
