import { describe, expect, it } from 'vitest';
import type { DaemonSet } from '@mk8s/shared';
import { daemonSetPrinter } from './daemonset-printer.js';

const NOW = new Date('2026-01-01T00:10:00Z');

function newDaemonSet(nodeSelector: Record<string, string> | undefined, status: DaemonSet['status'] | undefined): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      selector: { matchLabels: { app: 'agent' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['node'] }] },
      template: {
        spec: {
          ...(nodeSelector ? { nodeSelector } : {}),
          containers: [
            { name: 'agent', image: 'mk8s/agent:1' },
            { name: 'sidecar', image: 'busybox' },
          ],
        },
      },
    },
    ...(status ? { status } : {}),
  };
}

const counts = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, numberMisscheduled: 0, updatedNumberScheduled: 1, numberAvailable: 2 };
const wide = ['agent,sidecar', 'mk8s/agent:1,busybox', 'app=agent,tier in (node)'];

describe('daemonSetPrinter', () => {
  it.each<[string, DaemonSet, unknown[]]>([
    ['no status yet', newDaemonSet(undefined, undefined), ['agent', 0, 0, 0, 0, 0, '<none>', '10m', ...wide]],
    ['the four required counters only', newDaemonSet({}, { desiredNumberScheduled: 2, currentNumberScheduled: 1, numberReady: 1, numberMisscheduled: 0 }), ['agent', 2, 1, 1, 0, 0, '<none>', '10m', ...wide]],
    ['all counters', newDaemonSet(undefined, counts), ['agent', 3, 3, 2, 1, 2, '<none>', '10m', ...wide]],
    [
      'a node selector, keys sorted',
      newDaemonSet({ 'kubernetes.io/os': 'linux', disk: 'ssd' }, counts),
      ['agent', 3, 3, 2, 1, 2, 'disk=ssd,kubernetes.io/os=linux', '10m', ...wide],
    ],
  ])('%s', (_name, ds, cells) => {
    expect(daemonSetPrinter.print(ds, NOW).cells).toEqual(cells);
  });
  it('has the kubectl columns, the last three only with -o wide', () => {
    expect(daemonSetPrinter.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Desired', 0],
      ['Current', 0],
      ['Ready', 0],
      ['Up-to-date', 0],
      ['Available', 0],
      ['Node Selector', 0],
      ['Age', 0],
      ['Containers', 1],
      ['Images', 1],
      ['Selector', 1],
    ]);
  });
});
