import { describe, expect, it } from 'vitest';
import type { Pod } from '@mk8s/shared';
import { onlyStatusChanged } from './kubelet.js';

const base: Pod = {
  metadata: { name: 'p', namespace: 'default', uid: 'u1', resourceVersion: '10', labels: { app: 'a' } },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
  status: { phase: 'Pending' },
};

describe('onlyStatusChanged', () => {
  it.each<{ name: string; change: (p: Pod) => Pod; want: boolean }>([
    { name: 'status and resourceVersion', change: (p) => ({ ...p, metadata: { ...p.metadata, resourceVersion: '11' }, status: { phase: 'Running' } }), want: true },
    { name: 'nothing', change: (p) => p, want: true },
    { name: 'a label', change: (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'b' } } }), want: false },
    { name: 'deletionTimestamp', change: (p) => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), want: false },
    { name: 'the spec', change: (p) => ({ ...p, spec: { ...p.spec, containers: [{ name: 'c', image: 'j' }] } }), want: false },
    { name: 'the uid (a new pod of that name)', change: (p) => ({ ...p, metadata: { ...p.metadata, uid: 'u2' } }), want: false },
  ])('$name -> $want', ({ change, want }) => {
    expect(onlyStatusChanged(base, change(structuredClone(base)))).toBe(want);
  });
});
