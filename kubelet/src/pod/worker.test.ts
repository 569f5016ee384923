import { describe, expect, it } from 'vitest';
import { silentLogger, type Pod } from '@mk8s/shared';
import { PodWorkers } from './worker.js';

const pod = (rv: string, deleting = false): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1', resourceVersion: rv, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { containers: [] },
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

function harness() {
  const calls: string[] = [];
  let gate: { promise: Promise<void>; resolve: () => void } | undefined;
  const workers = new PodWorkers({
    logger: silentLogger(),
    resyncMs: 60_000,
    syncPod: async (p) => {
      calls.push(`sync:${p.metadata.resourceVersion}`);
      if (gate) await gate.promise;
      return {};
    },
    terminatePod: async (uid, p) => {
      calls.push(`terminate:${uid}:${p ? p.metadata.resourceVersion : 'gone'}`);
    },
  });
  return { calls, workers, hold: () => (gate = deferred()), release: () => gate?.resolve() };
}

describe('PodWorkers', () => {
  it('collapses updates that arrive while a sync runs: the latest pod wins', async () => {
    const h = harness();
    h.hold();
    h.workers.update('u1', pod('1'));
    await tick();
    h.workers.update('u1', pod('2'));
    h.workers.update('u1', pod('3'));
    h.release();
    await tick();
    await h.workers.stop();
    expect(h.calls).toEqual(['sync:1', 'sync:3']);
  });

  it('remembers a status-only update without syncing, and the next sync uses it', async () => {
    const h = harness();
    h.workers.update('u1', pod('1'));
    await tick();
    h.workers.update('u1', pod('2'), { sync: false });
    await tick();
    expect(h.calls).toEqual(['sync:1']);
    h.workers.enqueue('u1');
    await tick();
    await h.workers.stop();
    expect(h.calls).toEqual(['sync:1', 'sync:2']);
  });

  it('syncs a pod it has never seen even when told not to', async () => {
    const h = harness();
    h.workers.update('u1', pod('1'), { sync: false });
    await tick();
    await h.workers.stop();
    expect(h.calls).toEqual(['sync:1']);
  });

  it('moves to terminating on deletionTimestamp and never syncs again', async () => {
    const h = harness();
    h.workers.update('u1', pod('1'));
    await tick();
    h.workers.update('u1', pod('2', true));
    await tick();
    expect(h.workers.state('u1')).toBe('terminated');
    h.workers.update('u1', pod('3'));
    await tick();
    await h.workers.stop();
    expect(h.calls).toEqual(['sync:1', 'terminate:u1:2', 'terminate:u1:3']);
  });

  it('terminates a pod that is gone from the API and forgets it', async () => {
    const h = harness();
    h.workers.update('u1', pod('1'));
    await tick();
    h.workers.update('u1', undefined);
    await tick();
    expect(h.workers.knows('u1')).toBe(false);
    await h.workers.stop();
    expect(h.calls).toEqual(['sync:1', 'terminate:u1:gone']);
  });

  it('retries a failed sync', async () => {
    let n = 0;
    const workers = new PodWorkers({
      logger: silentLogger(),
      syncPod: async () => {
        n++;
        if (n === 1) throw new Error('docker hiccup');
        return {};
      },
      terminatePod: async () => undefined,
    });
    workers.update('u1', pod('1'));
    for (let i = 0; i < 200 && n < 2; i++) await tick();
    await workers.stop();
    expect(n).toBe(2);
    expect(workers.state('u1')).toBe('syncing');
  });
});
