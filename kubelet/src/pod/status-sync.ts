/**
 * The status half of a pod sync: re-reads the pod's containers after the sync acted,
 * brings the probe workers in line with the running containers, computes the status
 * (status.ts) on top of the newest status this kubelet wrote, and writes it when changed.
 */
import type { Container, Pod } from '@mk8s/shared';
import type { PodContext } from './context.js';
import { inspectAll, ms, observed, type Waiting } from './observe.js';
import type { RunningContainer } from './probe-manager.js';
import { groupPod } from './runtime-pod.js';
import { computePodStatus, type ContainerView, type ObservedContainer } from './status.js';
import { readTerminationMessage } from './termination-message.js';

export async function writePodStatus(ctx: PodContext, pod: Pod, waiting: Map<string, Waiting>, podIp: string | undefined): Promise<void> {
  const uid = pod.metadata.uid ?? '';
  const rp = groupPod(await ctx.runtime.listContainers(uid), uid);
  const details = await inspectAll(ctx, rp);
  const running: RunningContainer[] = [];
  const messages = new Map<string, string>();
  const withMessage = (o: ObservedContainer | undefined): ObservedContainer | undefined => {
    const m = o ? messages.get(o.id) : undefined;
    return o && m ? { ...o, message: m } : o;
  };
  const viewOf = (c: Container): ContainerView => {
    const [cur, prev] = rp.byName.get(c.name) ?? [];
    const curObs = withMessage(cur ? observed(cur, details.get(cur.id)) : undefined);
    const view: ContainerView = { name: c.name, image: c.image ?? '', ready: false, started: false };
    if (curObs) view.current = curObs;
    if (prev) {
      const p = withMessage(observed(prev, details.get(prev.id)));
      if (p) view.previous = p;
    }
    const w = waiting.get(c.name);
    if (w) view.waiting = w;
    return view;
  };
  const specs = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  await Promise.all(
    rp.all
      .filter((rc) => !rc.isSandbox)
      .map(async (rc) => {
        const d = details.get(rc.id);
        const spec = specs.find((s) => s.name === rc.containerName);
        if (!d || d.running || !spec) return;
        const message = await readTerminationMessage(ctx.docker, ctx.rootDir, uid, spec, rc.id, rc.restartCount, d.exitCode);
        if (message) messages.set(rc.id, message);
      }),
  );
  const views = pod.spec.containers.map(viewOf);
  for (const v of views) {
    if (v.current?.running) running.push({ name: v.name, containerId: v.current.id, startedAt: ms(v.current.startedAt) ?? ctx.now() });
  }
  const initViews = (pod.spec.initContainers ?? []).map((c) => {
    const v = viewOf(c);
    if (!v.current && !v.waiting) v.waiting = { reason: 'PodInitializing' };
    v.ready = v.current !== undefined && !v.current.running && !v.current.created && v.current.exitCode === 0 && !v.waiting;
    v.started = v.current?.running === true;
    return v;
  });
  ctx.probes.syncPod(pod, running, podIp);
  for (const v of views) {
    if (!v.current?.running) continue;
    v.ready = ctx.probes.isReady(v.current.id);
    v.started = ctx.probes.isStarted(v.current.id);
  }
  const base = ctx.statusWriter.last(uid);
  const podForStatus: Pod = base ? { ...pod, status: { ...pod.status, ...base } } : pod;
  const now = new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const statusInput: Parameters<typeof computePodStatus>[0] = { pod: podForStatus, containers: views, initContainers: initViews, hostIp: ctx.hostIp, now };
  if (podIp) statusInput.podIp = podIp;
  const status = computePodStatus(statusInput);
  await ctx.statusWriter.write(pod, status);
}
