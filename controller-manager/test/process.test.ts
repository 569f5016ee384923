/**
 * End-to-end: the controller-manager process itself: /healthz and /metrics, the
 * kube-system/kube-controller-manager Lease, SIGTERM releasing it, a standby taking over, and
 * exiting non-zero when the lease is lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES, type Lease } from '@mk8s/shared';
import { waitFor, type ManagedProcess } from '@mk8s/shared/testing';
import { setup, startControllerManager, teardown, type Env } from './helpers.js';

let env: Env | undefined;
afterEach(async () => {
  await teardown(env);
  env = undefined;
});

const leaseApi = (e: Env) => e.client.resource<Lease>(RESOURCES.leases);
const holder = async (e: Env) => (await leaseApi(e).get('kube-system', 'kube-controller-manager')).spec.holderIdentity ?? '';

function opsPort(p: ManagedProcess): Promise<number> {
  return waitFor(() => {
    for (const line of p.logs().split('\n')) {
      if (!line.includes('ops server listening')) continue;
      const port = (JSON.parse(line) as { port?: number }).port;
      if (port) return port;
    }
    return undefined;
  });
}

describe('controller-manager process', () => {
  it('serves /healthz and /metrics, holds the Lease, and releases it on SIGTERM', async () => {
    env = await setup(['--identity', 'cm-a']);
    const e = env;
    const port = await opsPort(e.cm);
    await waitFor(async () => (await holder(e)) === 'cm-a');
    const health = await waitFor(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      return r.status === 200 ? r.text() : undefined;
    });
    expect(health).toBe('ok');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/# TYPE workqueue_adds_total counter/);
    expect(metrics).toMatch(/process_cpu_user_seconds_total/);

    const standby = startControllerManager(e.cp, ['--identity', 'cm-b']);
    e.procs.push(standby);
    await e.cm.stop();
    expect(await e.cm.exited).toBe(0);
    await waitFor(async () => (await holder(e)) === 'cm-b', { timeoutMs: 30_000, message: () => standby.logs().slice(-2000) });
  });

  it('exits non-zero when another identity takes the lease', async () => {
    env = await setup(['--identity', 'cm-a']);
    const e = env;
    const lease = await waitFor(async () => {
      const l = await leaseApi(e).get('kube-system', 'kube-controller-manager');
      return l.spec.holderIdentity === 'cm-a' ? l : undefined;
    });
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    await leaseApi(e).update({ ...lease, spec: { ...lease.spec, holderIdentity: 'usurper', leaseDurationSeconds: 3600, renewTime: now, acquireTime: now } });
    expect(await e.cm.exited).toBe(1);
  });
});
