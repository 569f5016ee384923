/**
 * Container lifecycle hooks, run with the probe runners (a hook has the same exec /
 * httpGet / tcpSocket shapes as a probe): postStart right after a container starts (a
 * failure kills the container, which then restarts per restartPolicy), preStop before a
 * container is stopped, bounded by the grace period (its outcome never blocks the stop).
 */
import type { Container, Pod } from '@mk8s/shared';
import { runProbe } from '../probes/index.js';
import { extraFields, type LifecycleHandler } from '../runtime/security.js';
import type { PodContext } from './context.js';

async function runHook(ctx: PodContext, c: Container, h: LifecycleHandler, containerId: string, podIp: string | undefined, timeoutSeconds: number) {
  const ports: Record<string, number> = {};
  for (const p of c.ports ?? []) if (p.name) ports[p.name] = p.containerPort;
  return runProbe({ ...h, timeoutSeconds: Math.max(1, Math.floor(timeoutSeconds)) }, { docker: ctx.docker, containerId, podIP: podIp, ports });
}

/** Runs postStart; returns the failure message when it failed. */
export async function runPostStart(ctx: PodContext, pod: Pod, c: Container, containerId: string, podIp: string | undefined): Promise<string | undefined> {
  const hook = extraFields(c).lifecycle?.postStart;
  if (!hook) return undefined;
  const out = await runHook(ctx, c, hook, containerId, podIp, 30);
  if (out.result === 'success') return undefined;
  const message = `PostStartHook failed: ${out.output.trim()}`.slice(0, 1024);
  ctx.recorder.event(pod, 'Warning', 'FailedPostStartHook', message);
  return message;
}

/** Runs preStop (if any) within `graceSeconds`; returns the seconds of grace left. */
export async function runPreStop(ctx: PodContext, pod: Pod, c: Container | undefined, containerId: string, podIp: string | undefined, graceSeconds: number): Promise<number> {
  const hook = c ? extraFields(c).lifecycle?.preStop : undefined;
  if (!c || !hook || graceSeconds <= 0) return graceSeconds;
  const started = ctx.now();
  const out = await runHook(ctx, c, hook, containerId, podIp, graceSeconds);
  if (out.result === 'failure') ctx.recorder.event(pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${out.output.trim()}`.slice(0, 1024));
  return Math.max(0, graceSeconds - (ctx.now() - started) / 1000);
}
