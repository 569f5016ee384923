/**
 * Reading a pod's containers from Docker into the shapes the decisions and the status
 * need: `inspectAll` (details per container id), `currentOf` (for decide.ts), `observed`
 * (for status.ts). A container Docker could not start (state created with an error)
 * counts as exited.
 */
import type { ContainerDetails, RuntimeContainer } from '../runtime/docker.js';
import type { PodContext } from './context.js';
import type { CurrentContainer } from './decide.js';
import type { RuntimePod } from './runtime-pod.js';
import type { ObservedContainer } from './status.js';

export type Waiting = { reason: string; message?: string };

export const ms = (t: string | undefined): number | undefined => (t ? Date.parse(t) : undefined);

export async function inspectAll(ctx: PodContext, rp: RuntimePod): Promise<Map<string, ContainerDetails>> {
  const out = new Map<string, ContainerDetails>();
  await Promise.all(
    rp.all.map(async (c) => {
      const d = await ctx.runtime.inspect(c.id);
      if (d) out.set(c.id, d);
    }),
  );
  return out;
}

/** Docker's own error text, without dockerode's "(HTTP code ...)" prefix. */
export function dockerMessage(err: unknown): string {
  return ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message ?? String(err)).trim();
}

export function currentOf(c: RuntimeContainer, d: ContainerDetails | undefined): CurrentContainer {
  let phase: CurrentContainer['phase'] = 'exited';
  if (d?.running) phase = 'running';
  else if (c.state === 'created' && !d?.error) phase = 'created';
  const cur: CurrentContainer = { id: c.id, phase, restartCount: c.restartCount, exitCode: d?.exitCode ?? 0 };
  if (c.hash) cur.hash = c.hash;
  if (c.sandboxId) cur.sandboxId = c.sandboxId;
  return cur;
}

export function observed(c: RuntimeContainer, d: ContainerDetails | undefined): ObservedContainer | undefined {
  if (!d) return undefined;
  const o: ObservedContainer = {
    id: c.id,
    running: d.running,
    exitCode: d.exitCode,
    oomKilled: d.oomKilled,
    restartCount: c.restartCount,
    imageId: d.imageId,
  };
  if (c.state === 'created' && !d.error) o.created = true;
  if (d.startedAt) o.startedAt = d.startedAt;
  if (d.finishedAt) o.finishedAt = d.finishedAt;
  if (d.error) o.error = d.error;
  return o;
}
