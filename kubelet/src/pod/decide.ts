/**
 * The per-container decision of a pod sync, as a pure function: given the newest Docker
 * container of a spec container (if any), should it be killed, (re)started, kept, or is it
 * done for good? Back-off and image checks happen after this, in the sync.
 */

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export interface CurrentContainer {
  id: string;
  /** running; exited (or dead, or failed to start); created (never started, no error) */
  phase: 'running' | 'exited' | 'created';
  hash?: string;
  sandboxId?: string;
  restartCount: number;
  exitCode: number;
}

export interface DecideInput {
  policy: RestartPolicy;
  /** hash of the container's spec now */
  hash: string;
  /** id of the pod's running sandbox, undefined when there is none */
  sandboxId: string | undefined;
  current?: CurrentContainer;
  /** liveness/startup failure message for the current container */
  unhealthy?: string;
}

export interface Decision {
  /** stop the current container first */
  kill: boolean;
  killReason?: 'unhealthy' | 'spec-changed' | 'sandbox-changed';
  next: 'keep' | 'start' | 'done';
  /** restart count of the container to start */
  restartCount: number;
  /** the start is a restart of a dead container (subject to crash back-off) */
  isRestart: boolean;
}

export function shouldRestart(policy: RestartPolicy, exitCode: number): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}

export function decideContainer(i: DecideInput): Decision {
  const cur = i.current;
  if (!cur) return { kill: false, next: 'start', restartCount: 0, isRestart: false };
  if (cur.phase === 'created') return { kill: false, next: 'start', restartCount: cur.restartCount, isRestart: false };
  if (cur.phase === 'running') {
    let killReason: Decision['killReason'];
    if (i.unhealthy) killReason = 'unhealthy';
    else if (cur.hash !== undefined && cur.hash !== i.hash) killReason = 'spec-changed';
    else if (cur.sandboxId !== i.sandboxId) killReason = 'sandbox-changed';
    if (!killReason) return { kill: false, next: 'keep', restartCount: cur.restartCount, isRestart: false };
    const restart = killReason === 'spec-changed' || i.policy !== 'Never';
    return { kill: true, killReason, next: restart ? 'start' : 'done', restartCount: cur.restartCount + 1, isRestart: restart };
  }
  if (shouldRestart(i.policy, cur.exitCode)) return { kill: false, next: 'start', restartCount: cur.restartCount + 1, isRestart: true };
  return { kill: false, next: 'done', restartCount: cur.restartCount, isRestart: false };
}
