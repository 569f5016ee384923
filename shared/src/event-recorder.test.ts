import { describe, it, expect } from 'vitest';
import { ApiError } from './api/errors.js';
import type { Event } from './api/core.js';
import { RESOURCES } from './api/resources.js';
import { EventRecorder } from './event-recorder.js';
import { FakeClient } from './testing/fake-client.js';
import { FakeClock } from './testing/fake-clock.js';
import { newNode, newPod } from './testing/builders.js';

function setup() {
  const clock = new FakeClock();
  const fake = new FakeClient({ clock });
  const rec = new EventRecorder({ client: fake, component: 'scheduler', host: 'h1', clock });
  const events = () => fake.all<Event>(RESOURCES.events);
  return { clock, fake, rec, events };
}

describe('EventRecorder', () => {
  it('creates an Event with the involved object, source, timestamps and count', async () => {
    const { rec, events } = setup();
    const pod = newPod('web-1', { namespace: 'shop', resourceVersion: '7' });
    rec.event(pod, 'Normal', 'Scheduled', 'Successfully assigned shop/web-1 to n1');
    await rec.flush();
    const [ev, ...rest] = events();
    expect(rest).toEqual([]);
    expect(ev!.metadata.namespace).toBe('shop');
    expect(ev!.metadata.name).toMatch(/^web-1\.[0-9a-f]{16,}$/);
    expect(ev).toMatchObject({
      involvedObject: { kind: 'Pod', apiVersion: 'v1', name: 'web-1', namespace: 'shop', uid: pod.metadata.uid, resourceVersion: '7' },
      reason: 'Scheduled',
      message: 'Successfully assigned shop/web-1 to n1',
      type: 'Normal',
      count: 1,
      source: { component: 'scheduler', host: 'h1' },
      firstTimestamp: '2024-01-01T00:00:00Z',
      lastTimestamp: '2024-01-01T00:00:00Z',
    });
  });

  it('puts events about cluster-scoped objects in default', async () => {
    const { rec, events } = setup();
    rec.event(newNode('n1'), 'Warning', 'NodeNotReady', 'Node n1 status is now: NodeNotReady');
    await rec.flush();
    expect(events()[0]).toMatchObject({ metadata: { namespace: 'default' }, involvedObject: { kind: 'Node', name: 'n1' }, type: 'Warning' });
    expect(events()[0]!.involvedObject.namespace).toBeUndefined();
  });

  it.each([
    ['same event within the window folds', 'Killing', 'stop', 60_000, 1, 2],
    ['different message creates another', 'Killing', 'other', 60_000, 2, 1],
    ['different reason creates another', 'Pulled', 'stop', 60_000, 2, 1],
    ['after the window creates another', 'Killing', 'stop', 11 * 60_000, 2, 1],
  ])('%s', async (_name, reason, message, afterMs, want, lastCount) => {
    const { clock, rec, events, fake } = setup();
    const pod = newPod('p');
    rec.event(pod, 'Normal', 'Killing', 'stop');
    await rec.flush();
    await clock.advance(afterMs);
    rec.event(pod, 'Normal', reason, message);
    await rec.flush();
    const all = events();
    expect(all).toHaveLength(want);
    const folded = all.find((e) => e.count === lastCount)!;
    expect(folded).toBeDefined();
    if (want === 1) {
      expect(folded.lastTimestamp).toBe(new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      expect(folded.firstTimestamp).toBe('2024-01-01T00:00:00Z');
      expect(fake.actionsFor('patch', 'events')).toHaveLength(1);
    }
  });

  it('counts many repeats', async () => {
    const { rec, events } = setup();
    const pod = newPod('p');
    for (let i = 0; i < 5; i++) rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await rec.flush();
    expect(events().map((e) => e.count)).toEqual([5]);
  });

  it('re-creates an event that disappeared', async () => {
    const { rec, events, fake } = setup();
    const pod = newPod('p');
    rec.event(pod, 'Normal', 'Started', 'Started container');
    await rec.flush();
    fake.doDelete(RESOURCES.events, 'default', events()[0]!.metadata.name!);
    rec.event(pod, 'Normal', 'Started', 'Started container');
    await rec.flush();
    expect(events().map((e) => e.count)).toEqual([1]);
  });

  it('never throws and keeps working after a failed write', async () => {
    const { rec, events, fake } = setup();
    let fail = true;
    fake.prependReactor('create', 'events', () => {
      if (fail) throw new ApiError(500, 'InternalError', 'etcd down');
    });
    expect(() => rec.event(newPod('a'), 'Normal', 'X', 'y')).not.toThrow();
    await rec.flush();
    expect(events()).toEqual([]);
    fail = false;
    rec.event(newPod('b'), 'Normal', 'X', 'y');
    await rec.flush();
    expect(events()).toHaveLength(1);
  });

  it('truncates very long messages', async () => {
    const { rec, events } = setup();
    rec.event(newPod('a'), 'Normal', 'X', 'm'.repeat(5000));
    await rec.flush();
    expect(events()[0]!.message).toHaveLength(1024);
  });
});
