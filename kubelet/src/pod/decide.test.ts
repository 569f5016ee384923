import { describe, expect, it } from 'vitest';
import { decideContainer, shouldRestart, type CurrentContainer, type DecideInput } from './decide.js';
import { initProgress } from './init.js';

const cur = (o: Partial<CurrentContainer>): CurrentContainer => ({ id: 'c1', phase: 'running', hash: 'h', sandboxId: 'sb', restartCount: 0, exitCode: 0, ...o });
const input = (o: Partial<DecideInput>): DecideInput => ({ policy: 'Always', hash: 'h', sandboxId: 'sb', ...o });

describe('decideContainer', () => {
  it.each([
    { name: 'no container yet', i: input({}), want: { kill: false, next: 'start', restartCount: 0, isRestart: false } },
    { name: 'running and current', i: input({ current: cur({}) }), want: { kill: false, next: 'keep', restartCount: 0, isRestart: false } },
    { name: 'created, never started', i: input({ current: cur({ phase: 'created', restartCount: 3 }) }), want: { kill: false, next: 'start', restartCount: 3, isRestart: false } },
    { name: 'Always restarts after success', i: input({ current: cur({ phase: 'exited', exitCode: 0, restartCount: 1 }) }), want: { kill: false, next: 'start', restartCount: 2, isRestart: true } },
    { name: 'OnFailure restarts after failure', i: input({ policy: 'OnFailure', current: cur({ phase: 'exited', exitCode: 1 }) }), want: { kill: false, next: 'start', restartCount: 1, isRestart: true } },
    { name: 'OnFailure done after success', i: input({ policy: 'OnFailure', current: cur({ phase: 'exited', exitCode: 0 }) }), want: { kill: false, next: 'done', restartCount: 0, isRestart: false } },
    { name: 'Never done after failure', i: input({ policy: 'Never', current: cur({ phase: 'exited', exitCode: 2 }) }), want: { kill: false, next: 'done', restartCount: 0, isRestart: false } },
    {
      name: 'unhealthy is killed and restarted',
      i: input({ current: cur({}), unhealthy: 'liveness failed' }),
      want: { kill: true, killReason: 'unhealthy', next: 'start', restartCount: 1, isRestart: true },
    },
    {
      name: 'unhealthy with Never is killed for good',
      i: input({ policy: 'Never', current: cur({}), unhealthy: 'liveness failed' }),
      want: { kill: true, killReason: 'unhealthy', next: 'done', restartCount: 1, isRestart: false },
    },
    {
      name: 'changed spec is replaced even with Never',
      i: input({ policy: 'Never', hash: 'h2', current: cur({}) }),
      want: { kill: true, killReason: 'spec-changed', next: 'start', restartCount: 1, isRestart: true },
    },
    {
      name: 'sandbox gone',
      i: input({ sandboxId: undefined, current: cur({}) }),
      want: { kill: true, killReason: 'sandbox-changed', next: 'start', restartCount: 1, isRestart: true },
    },
  ])('$name', ({ i, want }) => {
    expect(decideContainer(i)).toEqual(want);
  });
});

describe('shouldRestart', () => {
  it.each([
    ['Always', 0, true],
    ['Always', 1, true],
    ['OnFailure', 0, false],
    ['OnFailure', 137, true],
    ['Never', 1, false],
  ] as const)('%s exit %i -> %s', (policy, code, want) => {
    expect(shouldRestart(policy, code)).toBe(want);
  });
});

describe('initProgress', () => {
  const inits = [{ name: 'i1' }, { name: 'i2' }];
  const at = (m: Record<string, CurrentContainer>) => (name: string) => m[name];
  it.each([
    { name: 'nothing ran yet', m: {}, app: false, policy: 'Always', want: { done: false, failed: false, index: 0, decision: { kill: false, next: 'start', restartCount: 0, isRestart: false } } },
    { name: 'first running', m: { i1: cur({}) }, app: false, policy: 'Always', want: { done: false, failed: false, index: 0, decision: { kill: false, next: 'keep', restartCount: 0, isRestart: false } } },
    { name: 'first done, second next', m: { i1: cur({ phase: 'exited' }) }, app: false, policy: 'Always', want: { done: false, failed: false, index: 1, decision: { kill: false, next: 'start', restartCount: 0, isRestart: false } } },
    { name: 'first failed, restart', m: { i1: cur({ phase: 'exited', exitCode: 1 }) }, app: false, policy: 'Always', want: { done: false, failed: false, index: 0, decision: { kill: false, next: 'start', restartCount: 1, isRestart: true } } },
    { name: 'first failed, Never', m: { i1: cur({ phase: 'exited', exitCode: 1 }) }, app: false, policy: 'Never', want: { done: false, failed: true, index: 0 } },
    { name: 'all done', m: { i1: cur({ phase: 'exited' }), i2: cur({ phase: 'exited' }) }, app: false, policy: 'Always', want: { done: true } },
    { name: 'removed after app containers started', m: {}, app: true, policy: 'Always', want: { done: true } },
  ] as const)('$name', ({ m, app, policy, want }) => {
    expect(initProgress(inits, policy, at(m as Record<string, CurrentContainer>), app)).toEqual(want);
  });
});
