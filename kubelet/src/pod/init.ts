/**
 * Init containers, as a pure decision: they run one at a time, in order, each to a
 * successful exit, before any app container starts. A failed one is restarted (with
 * crash back-off) unless restartPolicy is Never, which fails the pod. An init container
 * with no Docker container left counts as done once app containers exist (it was
 * removed after the pod initialised).
 */
import type { Container } from '@mk8s/shared';
import type { CurrentContainer, Decision, RestartPolicy } from './decide.js';

export type InitProgress =
  | { done: true }
  | { done: false; failed: true; index: number }
  | { done: false; failed: false; index: number; decision: Decision };

export function initProgress(
  inits: Container[],
  policy: RestartPolicy,
  current: (name: string) => CurrentContainer | undefined,
  appContainersExist: boolean,
): InitProgress {
  for (const [index, c] of inits.entries()) {
    const cur = current(c.name);
    if (!cur) {
      if (appContainersExist) continue;
      return { done: false, failed: false, index, decision: { kill: false, next: 'start', restartCount: 0, isRestart: false } };
    }
    if (cur.phase === 'running') return { done: false, failed: false, index, decision: { kill: false, next: 'keep', restartCount: cur.restartCount, isRestart: false } };
    if (cur.phase === 'created') return { done: false, failed: false, index, decision: { kill: false, next: 'start', restartCount: cur.restartCount, isRestart: false } };
    if (cur.exitCode === 0) continue;
    if (policy === 'Never') return { done: false, failed: true, index };
    return { done: false, failed: false, index, decision: { kill: false, next: 'start', restartCount: cur.restartCount + 1, isRestart: true } };
  }
  return { done: true };
}
