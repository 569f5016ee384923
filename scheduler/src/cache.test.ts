import { describe, expect, it } from 'vitest';
import { SchedulerCache } from './cache.js';
import { node, pod } from './testing/fixtures.js';

describe('SchedulerCache', () => {
  it('counts bound pods on their node', () => {
    const c = new SchedulerCache();
    c.addNode(node('a'));
    c.addPod(pod('p', { nodeName: 'a', cpu: '1' }));
    expect(c.getNode('a')!.requested.milliCpu).toBe(1000);
    c.removePod(pod('p', { nodeName: 'a' }));
    expect(c.getNode('a')!.requested.milliCpu).toBe(0);
  });

  it('assumes a pod, then confirms it without double counting', () => {
    const c = new SchedulerCache();
    c.addNode(node('a'));
    const p = pod('p', { cpu: '1' });
    c.assumePod(p, 'a');
    expect(c.isAssumed(p)).toBe(true);
    expect(c.getNode('a')!.requested.milliCpu).toBe(1000);
    c.addPod({ ...p, spec: { ...p.spec, nodeName: 'a' } });
    expect(c.isAssumed(p)).toBe(false);
    expect(c.getNode('a')!.requested.milliCpu).toBe(1000);
    expect(c.getNode('a')!.pods.size).toBe(1);
  });

  it('forgets an assumption after a failed bind', () => {
    const c = new SchedulerCache();
    c.addNode(node('a'));
    const p = pod('p', { cpu: '1' });
    c.assumePod(p, 'a');
    c.forgetPod(p);
    expect(c.getNode('a')!.requested.milliCpu).toBe(0);
    expect(c.nodeOf(p)).toBeUndefined();
  });

  it('moves an assumed pod the informer reports on another node', () => {
    const c = new SchedulerCache();
    c.addNode(node('a'));
    c.addNode(node('b'));
    const p = pod('p', { cpu: '1' });
    c.assumePod(p, 'a');
    c.addPod({ ...p, spec: { ...p.spec, nodeName: 'b' } });
    expect(c.getNode('a')!.requested.milliCpu).toBe(0);
    expect(c.getNode('b')!.requested.milliCpu).toBe(1000);
    c.forgetPod(p);
    expect(c.getNode('b')!.requested.milliCpu).toBe(1000);
  });

  it('keeps pods of a node it has not seen yet, and offers the node once it arrives', () => {
    const c = new SchedulerCache();
    c.addPod(pod('p', { nodeName: 'late', cpu: '1' }));
    expect(c.nodeList()).toHaveLength(0);
    c.addNode(node('late'));
    expect(c.nodeList().map((n) => n.name)).toEqual(['late']);
    expect(c.getNode('late')!.requested.milliCpu).toBe(1000);
  });

  it('drops a deleted node from the list', () => {
    const c = new SchedulerCache();
    c.addNode(node('a'));
    c.addNode(node('b'));
    c.addPod(pod('p', { nodeName: 'b' }));
    c.removeNode('a');
    c.removeNode('b');
    expect(c.nodeList()).toHaveLength(0);
    c.removePod(pod('p', { nodeName: 'b' }));
    c.addNode(node('b'));
    expect(c.getNode('b')!.pods.size).toBe(0);
  });
});
