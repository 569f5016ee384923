import { describe, it, expect } from 'vitest';
import { conditionMet, parseWaitFor } from './wait-logic.js';

describe('parseWaitFor', () => {
  it.each([
    { s: 'delete', want: { kind: 'delete' } },
    { s: 'condition=Ready', want: { kind: 'condition', type: 'Ready', status: 'true' } },
    { s: 'condition=Available=False', want: { kind: 'condition', type: 'Available', status: 'false' } },
    { s: 'jsonpath={.status.phase}=Running', want: { kind: 'jsonpath', path: '.status.phase', value: 'Running' } },
    { s: "jsonpath='{.status.readyReplicas}'=3", want: { kind: 'jsonpath', path: '.status.readyReplicas', value: '3' } },
    { s: 'jsonpath={.status.podIP}', want: { kind: 'jsonpath', path: '.status.podIP', value: undefined } },
  ])('$s', ({ s, want }) => expect(parseWaitFor(s)).toEqual(want));

  it.each(['ready', 'condition=', 'jsonpath=.status.phase'])('rejects %s', (s) => expect(() => parseWaitFor(s)).toThrow());
});

describe('conditionMet', () => {
  const pod = { status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] } };
  it.each([
    { name: 'condition true', w: 'condition=Ready', want: true },
    { name: 'condition case-insensitive', w: 'condition=ready=true', want: true },
    { name: 'condition with other status', w: 'condition=Ready=False', want: false },
    { name: 'missing condition', w: 'condition=Initialized', want: false },
    { name: 'jsonpath value', w: 'jsonpath={.status.phase}=Running', want: true },
    { name: 'jsonpath other value', w: 'jsonpath={.status.phase}=Pending', want: false },
    { name: 'jsonpath presence', w: 'jsonpath={.status.podIP}', want: true },
    { name: 'jsonpath absent', w: 'jsonpath={.status.hostIP}', want: false },
    { name: 'delete never met by an existing object', w: 'delete', want: false },
  ])('$name', ({ w, want }) => expect(conditionMet(pod, parseWaitFor(w))).toBe(want));
});
