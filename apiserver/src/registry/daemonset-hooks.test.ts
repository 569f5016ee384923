import { describe, expect, it } from 'vitest';
import type { DaemonSet } from '@mk8s/shared';
import { daemonSetHooks, TEMPLATE_GENERATION_ANNOTATION } from './daemonset-hooks.js';

const ctx = { dryRun: false, user: 'admin' };

function newDaemonSet(annotation?: string, image = 'mk8s/agent:1'): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default', ...(annotation !== undefined ? { annotations: { [TEMPLATE_GENERATION_ANNOTATION]: annotation, other: 'x' } } : {}) },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image }] } } },
  };
}

const annotation = (ds: DaemonSet) => ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];

describe('daemonSetHooks.beforeCreate', () => {
  it.each<[string, string | undefined, string]>([
    ['absent becomes 1', undefined, '1'],
    ['a positive integer is kept', '5', '5'],
    ['zero becomes 1', '0', '1'],
    ['garbage becomes 1', 'abc', '1'],
  ])('%s', async (_name, given, want) => {
    const ds = newDaemonSet(given);
    await daemonSetHooks.beforeCreate?.(ds, ctx);
    expect(annotation(ds)).toBe(want);
    if (given !== undefined) expect(ds.metadata.annotations?.other).toBe('x');
  });
});

describe('daemonSetHooks.beforeUpdate', () => {
  it.each<[string, DaemonSet, DaemonSet, string]>([
    ['same template keeps the stored value', newDaemonSet('3'), newDaemonSet(undefined), '3'],
    ['a client value is overwritten', newDaemonSet('3'), newDaemonSet('9'), '3'],
    ['a new template bumps it', newDaemonSet('3'), newDaemonSet('3', 'mk8s/agent:2'), '4'],
    ['an object stored without it counts as 1', newDaemonSet(undefined), newDaemonSet(undefined, 'mk8s/agent:2'), '2'],
  ])('%s', async (_name, old, next, want) => {
    await daemonSetHooks.beforeUpdate?.(next, old, ctx);
    expect(annotation(next)).toBe(want);
  });
});
