import { describe, expect, it } from 'vitest';
import { generateEvents, phaseOf, type ContainerSnapshot } from './pleg.js';

const snap = (...items: Array<[string, string, ContainerSnapshot['phase']]>): Map<string, ContainerSnapshot> =>
  new Map(items.map(([id, podUid, phase]) => [id, { id, podUid, phase }]));

describe('generateEvents', () => {
  it.each([
    { name: 'nothing changed', old: snap(['a', 'p1', 'running']), next: snap(['a', 'p1', 'running']), want: [] },
    { name: 'new running container', old: snap(), next: snap(['a', 'p1', 'running']), want: [{ podUid: 'p1', containerId: 'a', type: 'ContainerStarted' }] },
    { name: 'container exited', old: snap(['a', 'p1', 'running']), next: snap(['a', 'p1', 'exited']), want: [{ podUid: 'p1', containerId: 'a', type: 'ContainerDied' }] },
    { name: 'exited container seen first', old: snap(), next: snap(['a', 'p1', 'exited']), want: [{ podUid: 'p1', containerId: 'a', type: 'ContainerDied' }] },
    { name: 'container removed', old: snap(['a', 'p1', 'exited']), next: snap(), want: [{ podUid: 'p1', containerId: 'a', type: 'ContainerRemoved' }] },
    { name: 'created only', old: snap(), next: snap(['a', 'p1', 'created']), want: [{ podUid: 'p1', containerId: 'a', type: 'ContainerChanged' }] },
    {
      name: 'several pods, sorted by container id',
      old: snap(['b', 'p2', 'running'], ['c', 'p1', 'running']),
      next: snap(['a', 'p1', 'running'], ['c', 'p1', 'exited']),
      want: [
        { podUid: 'p1', containerId: 'a', type: 'ContainerStarted' },
        { podUid: 'p2', containerId: 'b', type: 'ContainerRemoved' },
        { podUid: 'p1', containerId: 'c', type: 'ContainerDied' },
      ],
    },
  ])('$name', ({ old, next, want }) => {
    expect(generateEvents(old, next)).toEqual(want);
  });
});

describe('phaseOf', () => {
  it.each([
    ['running', 'running'],
    ['paused', 'running'],
    ['exited', 'exited'],
    ['dead', 'exited'],
    ['created', 'created'],
    ['removing', 'unknown'],
  ])('%s -> %s', (state, phase) => {
    expect(phaseOf(state)).toBe(phase);
  });
});
