import { describe, expect, it } from 'vitest';
import { RESOURCES, silentLogger, type Pod, type PodStatus } from '@mk8s/shared';
import { FakeClient } from '@mk8s/shared/testing';
import { StatusWriter } from './status-writer.js';

const running: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
const markedNotReady: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] };

function setup() {
  const client = new FakeClient();
  client.seed(RESOURCES.pods, [{ metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [] }, status: { phase: 'Pending' } }]);
  const stored = () => client.stored<Pod>(RESOURCES.pods, 'default', 'p')!;
  const writes = () => client.actionsFor('update', 'pods').length;
  return { client, stored, writes, writer: new StatusWriter(client, silentLogger()) };
}

describe('StatusWriter', () => {
  it('writes a changed status once, even while the cache still shows the old pod', async () => {
    const h = setup();
    const cached = h.stored();
    expect(await h.writer.write(cached, running)).toBe(true);
    expect(await h.writer.write(cached, running)).toBe(false);
    expect(h.stored().status).toEqual(running);
    expect(h.writes()).toBe(1);
  });

  it('skips a status the cache already shows', async () => {
    const h = setup();
    await h.writer.write(h.stored(), running);
    expect(await h.writer.write(h.stored(), running)).toBe(false);
    expect(h.writes()).toBe(1);
  });

  it('writes over a status someone else changed after our write', async () => {
    const h = setup();
    await h.writer.write(h.stored(), running);
    const api = h.client.resource<Pod>(RESOURCES.pods);
    await api.updateStatus({ ...h.stored(), status: markedNotReady });
    expect(await h.writer.write(h.stored(), running)).toBe(true);
    expect(h.stored().status).toEqual(running);
  });
});
