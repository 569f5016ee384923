import { describe, it, expect } from 'vitest';
import type { Node, Pod } from './api/core.js';
import { RESOURCES } from './api/resources.js';
import { InformerFactory } from './informer-factory.js';
import { FakeClient } from './testing/fake-client.js';
import { newNode, newPod } from './testing/builders.js';

describe('InformerFactory', () => {
  it('shares one informer per resource and scope, starts late ones, and syncs all', async () => {
    const fake = new FakeClient();
    fake.seed(RESOURCES.pods, [newPod('a', { nodeName: 'n1' }), newPod('b')]);
    fake.seed(RESOURCES.nodes, [newNode('n1')]);
    const f = new InformerFactory(fake, { sleep: async () => undefined });
    const pods1 = f.informerFor<Pod>(RESOURCES.pods);
    const pods2 = f.informerFor<Pod>(RESOURCES.pods);
    const onNode = f.informerFor<Pod>(RESOURCES.pods, { fieldSelector: 'spec.nodeName=n1' });
    expect(pods1).toBe(pods2);
    expect(onNode).not.toBe(pods1);
    f.start();
    const nodes = f.informerFor<Node>(RESOURCES.nodes);
    await f.waitForSync();
    expect(f.hasSynced()).toBe(true);
    expect(pods1.list()).toHaveLength(2);
    expect(onNode.list().map((p) => p.metadata.name)).toEqual(['a']);
    expect(nodes.list()).toHaveLength(1);
    expect(fake.actionsFor('list')).toHaveLength(3);
    await f.stop();
  });
});
