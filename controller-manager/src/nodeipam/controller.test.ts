import { describe, expect, it } from 'vitest';
import { EventRecorder, RESOURCES, silentLogger, type Node } from '@mk8s/shared';
import { FakeClient, newNode } from '@mk8s/shared/testing';
import { newCidrSet } from './cidr.js';
import { NodeIpamController } from './controller.js';

function setup(nodes: Node[], cluster = '10.244.0.0/16') {
  const client = new FakeClient();
  client.seed(RESOURCES.nodes, nodes);
  const queued: string[] = [];
  const c = new NodeIpamController({
    nodes: { get: (_ns, name) => client.stored<Node>(RESOURCES.nodes, undefined, name), list: () => client.all<Node>(RESOURCES.nodes) },
    nodeApi: client.resource<Node>(RESOURCES.nodes),
    recorder: new EventRecorder({ client, component: 'controller-manager' }),
    logger: silentLogger(),
    cidrs: newCidrSet(cluster, 24),
    enqueue: (n) => queued.push(n),
  });
  const cidrOf = (name: string) => client.stored<Node>(RESOURCES.nodes, undefined, name)?.spec;
  return { client, c, cidrOf, queued };
}

const withCidr = (name: string, cidr: string) => {
  const n = newNode(name);
  n.spec = { podCIDR: cidr, podCIDRs: [cidr] };
  return n;
};

describe('NodeIpamController', () => {
  it('assigns free blocks in order, skipping ones nodes set themselves', async () => {
    const { c, cidrOf } = setup([withCidr('own', '10.244.0.0/24'), newNode('a'), newNode('b')]);
    await c.sync('a');
    await c.sync('b');
    expect(cidrOf('a')).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    expect(cidrOf('b')).toEqual({ podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] });
    expect(cidrOf('own')).toEqual({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
  });

  it('leaves a node with a podCIDR alone', async () => {
    const { client, c } = setup([withCidr('own', '192.168.7.0/24')]);
    await c.sync('own');
    expect(client.actionsFor('patch')).toEqual([]);
  });

  it('counts allocations not yet in the cache, and frees blocks of deleted nodes', async () => {
    const { client, c, cidrOf, queued } = setup([newNode('a'), newNode('b')]);
    await c.sync('a');
    expect(c.usedBlocks()).toEqual(new Set([0]));
    const a = client.stored<Node>(RESOURCES.nodes, undefined, 'a')!;
    await client.resource(RESOURCES.nodes).delete(undefined, 'a');
    c.onNodeDelete(a);
    expect(queued).toEqual(['b']);
    await c.sync('b');
    expect(cidrOf('b')?.podCIDR).toBe('10.244.0.0/24');
  });

  it('fails (and is retried) when the cluster CIDR is exhausted', async () => {
    const { c } = setup([withCidr('x', '10.0.0.0/24'), newNode('y')], '10.0.0.0/24');
    await expect(c.sync('y')).rejects.toThrow(/no pod CIDR block left/);
  });
});
