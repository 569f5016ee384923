import { describe, it, expect } from 'vitest';
import type { Pod } from '@mk8s/shared';
import { buildRunPod } from './run.js';
import { imagePatch, parseImageArgs } from './set-image.js';
import { drainBlockers } from './node.js';

describe('buildRunPod', () => {
  it.each([
    { name: 'args by default', args: ['sleep', '1'], opts: { image: 'busybox' }, want: { args: ['sleep', '1'] }, labels: { run: 'x' } },
    { name: 'command with --command', args: ['sh'], opts: { image: 'busybox', command: true }, want: { command: ['sh'] }, labels: { run: 'x' } },
    { name: 'env and labels', args: [], opts: { image: 'b', env: ['A=1=2'], labels: 'a=b,c=d' }, want: { env: [{ name: 'A', value: '1=2' }] }, labels: { a: 'b', c: 'd' } },
  ])('$name', ({ args, opts, want, labels }) => {
    const pod = buildRunPod('x', 'default', args, opts);
    expect(pod.spec.containers[0]).toMatchObject({ name: 'x', ...want });
    expect(pod.metadata.labels).toEqual(labels);
  });
  it.each([
    { name: 'no image', opts: {}, err: /"image" not set/ },
    { name: 'bad restart', opts: { image: 'b', restart: 'Sometimes' }, err: /invalid restart policy/ },
  ])('rejects $name', ({ opts, err }) => expect(() => buildRunPod('x', 'default', [], opts)).toThrow(err));
});

describe('set image', () => {
  const spec = { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }], initContainers: [{ name: 'init', image: '0' }] };
  it.each([
    { name: 'one container', pairs: ['a=reg/x:2'], want: [{ name: 'a', image: 'reg/x:2' }] },
    { name: 'init container', pairs: ['init=y'], want: [{ name: 'init', image: 'y' }] },
    { name: 'all with *', pairs: ['*=z'], want: [{ name: 'a', image: 'z' }, { name: 'b', image: 'z' }] },
  ])('$name', ({ pairs, want }) => expect(imagePatch(spec, parseImageArgs(pairs))).toEqual(want));
  it.each([
    { name: 'unknown container', pairs: ['c=x'], err: /unable to find container named "c"/ },
    { name: 'missing image', pairs: ['a='], err: /expected CONTAINER=IMAGE/ },
    { name: 'nothing', pairs: [], err: /at least one image update/ },
  ])('rejects $name', ({ pairs, err }) => expect(() => imagePatch(spec, parseImageArgs(pairs))).toThrow(err));
});

describe('drainBlockers', () => {
  const pod = (name: string, managed: boolean, emptyDir = false): Pod => ({
    metadata: { name, namespace: 'ns', ...(managed ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] } : {}) },
    spec: { containers: [{ name: 'c' }], ...(emptyDir ? { volumes: [{ name: 'v', emptyDir: {} }] } : {}) },
  });
  it.each([
    { name: 'managed pods drain', pods: [pod('a', true)], opts: {}, want: 0 },
    { name: 'unmanaged pod blocks', pods: [pod('a', false)], opts: {}, want: 1 },
    { name: '--force allows unmanaged', pods: [pod('a', false)], opts: { force: true }, want: 0 },
    { name: 'emptyDir blocks', pods: [pod('a', true, true)], opts: {}, want: 1 },
    { name: '--delete-emptydir-data allows it', pods: [pod('a', true, true)], opts: { deleteEmptydirData: true }, want: 0 },
  ])('$name', ({ pods, opts, want }) => expect(drainBlockers(pods, opts)).toHaveLength(want));
});
